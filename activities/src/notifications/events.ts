import { createHash } from 'node:crypto';
import type { DeliveryStateRecord, GateNotice, WebhookEventType } from '@sdo/contracts';
import { TERMINAL_PHASES } from '@sdo/contracts';
import type { DeliveryEntity, OutboxEvent } from '@sdo/persistence';

/** The bookkeeping call an event comes from: the same on every retry of that call, unique otherwise. */
export interface EventSource {
  workflowId: string;
  runId: string;
  activityId: string;
}

/** A stable event ID (UUID-shaped) per source and type: receivers deduplicate on it. */
export function eventIdOf(source: string, type: WebhookEventType): string {
  const h = createHash('sha256').update(`${source}\n${type}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function sourceKey(s: EventSource): string {
  return `${s.workflowId}/${s.runId}/${s.activityId}`;
}

function deliveryPart(d: DeliveryEntity, state: Pick<DeliveryStateRecord, 'phase' | 'step' | 'progress' | 'awaiting'>) {
  return {
    id: d.id,
    workflowId: d.workflowId,
    serviceType: d.serviceType,
    customerId: d.customerId,
    orderNo: d.orderNo,
    phase: state.phase,
    step: state.step,
    progress: state.progress,
    awaiting: state.awaiting,
  };
}

/** Events of a state change: the phase changed (and ended), a gate started waiting. */
export function stateEvents(source: string, before: DeliveryEntity, record: DeliveryStateRecord, now: Date): OutboxEvent[] {
  const types: WebhookEventType[] = [];
  if (record.phase !== before.phase) {
    types.push('phase.changed');
    if (TERMINAL_PHASES.includes(record.phase)) types.push(`delivery.${record.phase}` as WebhookEventType);
  }
  if (record.awaiting && record.awaiting !== before.awaiting) types.push('gate.waiting');
  return types.map((type) => {
    const eventId = eventIdOf(source, type);
    const body = {
      id: eventId,
      type,
      occurredAt: now.toISOString(),
      delivery: deliveryPart(before, record),
      ...(type === 'phase.changed' ? { previousPhase: before.phase } : {}),
      ...(type === 'gate.waiting' ? { gate: { name: record.awaiting } } : {}),
      ...(record.failure && type === 'delivery.failed' ? { failure: record.failure } : {}),
      note: record.note,
    };
    return { source, eventId, eventType: type, customerId: before.customerId, deliveryId: before.id, body: JSON.stringify(body) };
  });
}

/** A reminder or escalation of a waiting gate: to webhooks, and mailed to the gate's contacts. */
export function gateEvent(source: string, delivery: DeliveryEntity, notice: GateNotice, now: Date): OutboxEvent {
  const type: WebhookEventType = notice.kind === 'reminder' ? 'gate.reminder' : 'gate.escalation';
  const eventId = eventIdOf(source, type);
  const body = {
    id: eventId,
    type,
    occurredAt: now.toISOString(),
    delivery: deliveryPart(delivery, delivery),
    gate: { name: notice.gate, waitingSince: notice.waitingSince, reminderCount: notice.reminderCount },
  };
  return {
    source,
    eventId,
    eventType: type,
    customerId: delivery.customerId,
    deliveryId: delivery.id,
    body: JSON.stringify(body),
    mailGate: notice.gate,
  };
}
