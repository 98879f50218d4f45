import {
  caseTransition,
  completionProblem,
  ObligationTask,
  openableTasks,
  paasLabPlan,
  pendingDeadline,
  periodBoundary,
  planProblems,
  securityPlan,
  tasksForPeriod,
  trainingPlan,
} from './obligations';

describe('support case transitions', () => {
  it('go opened → responded → resolved → confirmed, one step at a time', () => {
    expect(caseTransition('opened', 'respond')).toEqual({ to: 'responded' });
    expect(caseTransition('responded', 'resolve')).toEqual({ to: 'resolved' });
    expect(caseTransition('resolved', 'confirm')).toEqual({ to: 'confirmed' });
  });

  it.each([
    ['opened', 'resolve'],
    ['opened', 'confirm'],
    ['responded', 'respond'],
    ['responded', 'confirm'],
    ['resolved', 'respond'],
    ['confirmed', 'confirm'],
  ] as const)('refuse %s → %s, saying why', (state, action) => {
    const outcome = caseTransition(state, action);
    expect(outcome).toEqual({ refused: expect.stringContaining(`The case is ${state}`) });
  });

  it('hold the case to the response SLA, then the resolution SLA, then none', () => {
    expect(['opened', 'responded', 'resolved', 'confirmed'].map((s) => pendingDeadline(s as never))).toEqual(['response', 'resolution', undefined, undefined]);
  });
});

describe('period boundaries', () => {
  it('count calendar months, keeping the day and clamping to the month end', () => {
    expect(periodBoundary('2026-01-31T09:00:00.000Z', 'month', 1)).toBe('2026-02-28T09:00:00.000Z');
    expect(periodBoundary('2026-01-31T09:00:00.000Z', 'month', 2)).toBe('2026-03-31T09:00:00.000Z');
    expect(periodBoundary('2026-11-15T00:00:00.000Z', 'month', 24)).toBe('2028-11-15T00:00:00.000Z');
  });

  it('count fixed durations when a period is given as one', () => {
    expect(periodBoundary('2026-01-01T00:00:00.000Z', '2 seconds', 3)).toBe('2026-01-01T00:00:06.000Z');
  });
});

describe('recurring tasks', () => {
  it('give a resident service one SLA assessment per period', () => {
    for (const period of [1, 2, 12]) {
      expect(tasksForPeriod('resident-service', period, 'a', 'b').map((t) => [t.taskId, t.kind])).toEqual([[`sla-assessment-${period}`, 'sla-assessment']]);
    }
  });

  it('give O&M patches and backup checks monthly and an inspection quarterly', () => {
    expect(tasksForPeriod('private-deployment-ops', 1, 'a', 'b').map((t) => t.kind)).toEqual(['patch', 'backup-check', 'environment-inspection']);
    expect(tasksForPeriod('private-deployment-ops', 2, 'a', 'b').map((t) => t.kind)).toEqual(['patch', 'backup-check']);
    expect(tasksForPeriod('private-deployment-ops', 4, 'a', 'b').map((t) => t.kind)).toEqual(['patch', 'backup-check', 'environment-inspection']);
  });
});

describe('task completion', () => {
  const assessment: ObligationTask = { taskId: 'sla-assessment-1', kind: 'sla-assessment', title: 't', createdAt: '', state: 'open' };

  it('needs a whole score from 0 to 100 and remarks for an SLA assessment', () => {
    expect(completionProblem(assessment, { taskId: assessment.taskId, completedBy: 'max', score: 90, remarks: 'on time' })).toBeUndefined();
    for (const score of [-1, 101, 50.5, undefined]) {
      expect(completionProblem(assessment, { taskId: assessment.taskId, completedBy: 'max', score, remarks: 'x' })).toMatch(/score/);
    }
    expect(completionProblem(assessment, { taskId: assessment.taskId, completedBy: 'max', score: 90 })).toMatch(/remarks/);
  });

  it('refuses a task that is not open, or unknown', () => {
    expect(completionProblem({ ...assessment, state: 'expired' }, { taskId: assessment.taskId, completedBy: 'max', score: 1, remarks: 'x' })).toMatch(
      /expired, not open/,
    );
    expect(completionProblem(undefined, { taskId: 'nope', completedBy: 'max' })).toMatch(/no task nope/);
  });

  it('needs attendance for a training session', () => {
    const session: ObligationTask = { taskId: 'session-1', kind: 'training-session', title: 't', createdAt: '', state: 'open' };
    expect(completionProblem(session, { taskId: 'session-1', completedBy: 'max' })).toMatch(/attendance/);
    expect(completionProblem(session, { taskId: 'session-1', completedBy: 'max', attendance: [{ attendee: 'li', present: true }] })).toBeUndefined();
  });
});

describe('task plans', () => {
  it('give each contracted security item a task, a retest after the penetration test, and a time box of at most a month', () => {
    const plan = securityPlan(['antivirus', 'penetration-test', 'anti-ransomware-check'], '90 days');
    expect(plan.map((p) => [p.taskId, p.after ?? [], p.timeBox ?? null])).toEqual([
      ['antivirus', [], null],
      ['penetration-test', [], null],
      ['penetration-retest', ['penetration-test'], null],
      ['anti-ransomware-check', [], '30 days'],
    ]);
    expect(securityPlan(['anti-ransomware-check'], '2 seconds')[0]?.timeBox).toBe('2 seconds');
  });

  it('open tasks only when their prerequisites are closed', () => {
    const plan = securityPlan(['penetration-test']);
    expect(openableTasks(plan, []).map((p) => p.taskId)).toEqual(['penetration-test']);
    const done: ObligationTask = { taskId: 'penetration-test', kind: 'security-item', title: '', createdAt: '', state: 'done' };
    expect(openableTasks(plan, [done]).map((p) => p.taskId)).toEqual(['penetration-retest']);
  });

  it('run the PaaS lab milestone by milestone, each reviewed, then certify', () => {
    const plan = paasLabPlan();
    expect(plan.map((p) => p.taskId)).toEqual([
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
    expect(planProblems(plan)).toEqual([]);
    expect(planProblems(trainingPlan(['ERP basics', 'Month-end close']))).toEqual([]);
  });

  it('find unknown prerequisites, duplicates and cycles', () => {
    expect(planProblems([{ taskId: 'a', kind: 'milestone', title: 'a', after: ['x'] }])).toEqual(['task a waits for unknown task x']);
    expect(
      planProblems([
        { taskId: 'a', kind: 'milestone', title: 'a', after: ['b'] },
        { taskId: 'b', kind: 'milestone', title: 'b', after: ['a'] },
      ]),
    ).toEqual(['the plan has tasks waiting on each other in a cycle']);
    expect(
      planProblems([
        { taskId: 'a', kind: 'milestone', title: 'a' },
        { taskId: 'a', kind: 'milestone', title: 'a' },
      ])[0],
    ).toMatch(/twice/);
  });
});
