import type { DeliveryEntity } from '@sdo/persistence';
import { eventIdOf, gateEvent, stateEvents } from './events';
import { gateMail } from './notification.activities';

const before = {
  id: '6f1c2b1e-0000-4000-8000-000000000001',
  workflowId: 'upgrade:ACME:SO-1',
  serviceType: 'upgrade',
  customerId: 'ACME',
  orderNo: 'SO-1',
  phase: 'plan',
  step: 'drafting plan revision 1',
  progress: 25,
  awaiting: null,
} as unknown as DeliveryEntity;
const now = new Date('2026-11-30T12:00:00Z');
const record = (fields: object) => ({ deliveryId: before.id, phase: 'plan', step: 's', progress: 25, awaiting: null, note: 'n', ...fields }) as never;

describe('notification events', () => {
  it('has one stable ID per bookkeeping call and type, the same on every retry', () => {
    expect(eventIdOf('wf/run/7', 'gate.waiting')).toBe(eventIdOf('wf/run/7', 'gate.waiting'));
    expect(eventIdOf('wf/run/7', 'gate.waiting')).not.toBe(eventIdOf('wf/run/8', 'gate.waiting'));
    expect(eventIdOf('wf/run/7', 'gate.waiting')).not.toBe(eventIdOf('wf/run/7', 'phase.changed'));
    expect(eventIdOf('wf/run/7', 'gate.waiting')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('says when a gate starts waiting, and nothing for a step within the phase', () => {
    expect(stateEvents('s', before, record({ awaiting: 'planApproval' }), now).map((e) => e.eventType)).toEqual(['gate.waiting']);
    expect(stateEvents('s', before, record({ step: 'other' }), now)).toEqual([]);
    expect(stateEvents('s', { ...before, awaiting: 'planApproval' } as DeliveryEntity, record({ awaiting: 'planApproval' }), now)).toEqual([]);
  });

  it('says when the phase changes, and when the delivery ends how it ended', () => {
    expect(stateEvents('s', before, record({ phase: 'test' }), now).map((e) => e.eventType)).toEqual(['phase.changed']);
    for (const end of ['completed', 'failed', 'cancelled'])
      expect(stateEvents('s', before, record({ phase: end }), now).map((e) => e.eventType)).toEqual(['phase.changed', `delivery.${end}`]);
    const [changed] = stateEvents('s', before, record({ phase: 'test' }), now);
    expect(JSON.parse(changed!.body)).toMatchObject({
      id: changed!.eventId,
      type: 'phase.changed',
      previousPhase: 'plan',
      delivery: { phase: 'test', customerId: 'ACME' },
    });
  });

  it('mails reminders and escalations to the gate they are about', () => {
    const notice = { deliveryId: before.id, gate: 'planApproval', kind: 'escalation', waitingSince: '2026-11-27T12:00:00Z', reminderCount: 3 } as const;
    const event = gateEvent('s', before, notice, now);
    expect(event).toMatchObject({ eventType: 'gate.escalation', mailGate: 'planApproval' });
    const mail = gateMail('pm@acme.example', event.body);
    expect(mail.subject).toBe('[SDO] Escalation: upgrade:ACME:SO-1 waits for planApproval');
    expect(mail.text).toContain('overdue');
  });
});
