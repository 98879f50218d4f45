import type { CatalogFlowInput, SupportSubscriptionInput, TaskPlanInput } from '@sdo/contracts';
import { DEFAULT_CASE_SLA, obligationChild } from './from-catalog';

const input = (serviceType: string, parameters: Record<string, unknown>, obligations: CatalogFlowInput['obligations']): CatalogFlowInput =>
  ({
    deliveryId: 'd-1',
    serviceType,
    customerId: 'ACME',
    orderNo: 'SO-1',
    parameters,
    flow: [],
    obligations,
    assignees: {},
    defaultAssignee: 'max',
    gatePolicy: { reminderEvery: '1 day', escalateAfter: '3 days' },
  }) as unknown as CatalogFlowInput;

const planOf = (i: CatalogFlowInput, step: string) => (obligationChild(i, step, 0)?.args[0] as TaskPlanInput).plan;

describe('obligations started from a catalog delivery', () => {
  it('runs the contracted security items as a task plan: retest after the penetration test, anti-ransomware boxed to a month', () => {
    const security = input('security-protection', { items: ['penetration-test', 'anti-ransomware-check'] }, [{ kind: 'security-items', step: 'delivery' }]);
    expect(obligationChild(security, 'delivery', 0)).toMatchObject({
      workflowType: 'taskPlanWorkflow',
      workflowId: 'security-protection:ACME:SO-1:obligations',
    });
    expect(planOf(security, 'delivery')).toEqual([
      { taskId: 'penetration-test', kind: 'security-item', title: 'penetration-test' },
      { taskId: 'penetration-retest', kind: 'retest', title: expect.any(String), after: ['penetration-test'] },
      { taskId: 'anti-ransomware-check', kind: 'security-item', title: 'anti-ransomware-check', timeBox: '30 days' },
    ]);
    // A configured shorter "month" (demos, tests) shortens the box with it.
    const short = input('security-protection', { items: ['anti-ransomware-check'] }, [
      { kind: 'security-items', step: 'delivery', settings: { periodLength: '500 ms' } },
    ]);
    expect(planOf(short, 'delivery')[0]).toMatchObject({ timeBox: '500 ms' });
  });

  it('plans a training as its course plan then one session per agreed session, and the PaaS lab as reviewed milestones then certification', () => {
    const training = input('training', { courses: ['GL', 'Reports'], sessions: 3 }, [{ kind: 'training-sessions', step: 'delivery' }]);
    expect(planOf(training, 'delivery').map((t) => [t.taskId, t.title])).toEqual([
      ['course-plan', 'Agree the course plan'],
      ['session-1', 'Session 1: GL'],
      ['session-2', 'Session 2: Reports'],
      ['session-3', 'Session 3: GL'],
    ]);
    const lab = planOf(input('paas-lab', {}, [{ kind: 'paas-milestones', step: 'lab' }]), 'lab');
    expect(lab.map((t) => t.taskId)).toEqual([
      'requirements',
      'requirements-review',
      'architecture',
      'architecture-review',
      'development-test',
      'development-test-review',
      'deployment',
      'deployment-review',
      'certification',
    ]);
    expect(obligationChild(input('paas-lab', {}, [{ kind: 'paas-milestones', step: 'lab' }]), 'kickoff', 0)).toBeUndefined();
  });

  it("holds support cases to the order's SLAs, or to the documented defaults", () => {
    const subscription = (parameters: Record<string, unknown>) =>
      (
        obligationChild(
          input('custom-dev-maintenance', { startsOn: '2027-01-01', endsOn: '2027-12-31', ...parameters }, [{ kind: 'support-cases', step: 'support' }]),
          'support',
          0,
        )!.args[0] as SupportSubscriptionInput
      ).sla;
    expect(subscription({})).toEqual(DEFAULT_CASE_SLA);
    expect(subscription({ caseSla: { respondWithinHours: 4, resolveWithinHours: 40 } })).toEqual({ respondWithin: '4 hours', resolveWithin: '40 hours' });
  });
});
