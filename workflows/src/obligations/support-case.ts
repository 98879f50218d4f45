import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  addDuration,
  CaseAnswer,
  caseChangedSignal,
  CaseDeadline,
  caseTransition,
  confirmCaseUpdate,
  durationMs,
  pendingDeadline,
  resolveCaseUpdate,
  respondCaseUpdate,
  SupportCaseAction,
  SupportCaseInput,
  SupportCaseStatus,
  supportCaseStatusQuery,
} from '@sdo/contracts';
import { notify, requireText } from './notices';

const MAX_EVENTS = 50;

/**
 * One support case of a subscription: opened → responded → resolved → confirmed by the customer.
 * Reminds every gate-policy interval while it waits, and escalates each SLA it misses once
 * (response, then resolution, both counted from the opening).
 */
export async function supportCaseWorkflow(input: SupportCaseInput): Promise<SupportCaseStatus> {
  const status: SupportCaseStatus = {
    caseNo: input.caseNo,
    workflowId: workflowInfo().workflowId,
    title: input.title,
    state: 'opened',
    openedBy: input.openedBy,
    openedAt: input.openedAt,
    respondDueAt: addDuration(input.openedAt, input.sla.respondWithin),
    resolveDueAt: addDuration(input.openedAt, input.sla.resolveWithin),
    escalated: [],
    reminders: 0,
    events: [{ at: input.openedAt, note: `opened by ${input.openedBy}: ${input.title}` }],
  };
  const event = (note: string) => {
    status.events.push({ at: new Date().toISOString(), note });
    if (status.events.length > MAX_EVENTS) status.events.splice(0, status.events.length - MAX_EVENTS);
  };

  setHandler(supportCaseStatusQuery, () => status);
  const act = (action: SupportCaseAction, stamp: 'respondedAt' | 'resolvedAt' | 'confirmedAt') => ({
    handler: (answer: CaseAnswer): SupportCaseStatus => {
      const next = caseTransition(status.state, action);
      if ('refused' in next) throw new Error(next.refused);
      status.state = next.to;
      status[stamp] = new Date().toISOString();
      event(`${next.to} by ${answer.by}: ${answer.note}`);
      return status;
    },
    validator: (answer: CaseAnswer): void => {
      const next = caseTransition(status.state, action);
      if ('refused' in next) throw new Error(next.refused);
      requireText(answer?.by, 'by');
      requireText(answer?.note, 'note');
    },
  });
  for (const [update, action, stamp] of [
    [respondCaseUpdate, 'respond', 'respondedAt'],
    [resolveCaseUpdate, 'resolve', 'resolvedAt'],
    [confirmCaseUpdate, 'confirm', 'confirmedAt'],
  ] as const) {
    const { handler, validator } = act(action, stamp);
    setHandler(update, handler, { validator });
  }

  const reminderMs = durationMs(input.gatePolicy.reminderEvery);
  let told: string | undefined;
  for (;;) {
    await tellSubscription(input, status, told).then((state) => (told = state));
    if (status.state === 'confirmed') break;
    const seen = status.state;
    const deadline = pendingDeadline(seen);
    const dueAt = deadline === 'response' ? status.respondDueAt : deadline === 'resolution' ? status.resolveDueAt : undefined;
    const pendingSla = deadline && dueAt && !status.escalated.includes(deadline) ? { deadline, dueAt } : undefined;
    const wait = pendingSla ? Math.min(reminderMs, Math.max(1, Date.parse(pendingSla.dueAt) - Date.now())) : reminderMs;
    if (await condition(() => status.state !== seen, wait)) continue;
    if (pendingSla && Date.now() >= Date.parse(pendingSla.dueAt)) await escalate(input, status, pendingSla.deadline, event);
    else await remind(input, status);
  }
  await condition(allHandlersFinished);
  return status;
}

async function escalate(input: SupportCaseInput, status: SupportCaseStatus, deadline: CaseDeadline, event: (note: string) => void): Promise<void> {
  status.escalated.push(deadline);
  event(`${deadline} SLA missed (due ${deadline === 'response' ? status.respondDueAt : status.resolveDueAt}): escalated`);
  await notify({
    deliveryId: input.deliveryId,
    action: 'case.escalation',
    actor: 'workflow',
    detail: { caseNo: input.caseNo, sla: deadline, state: status.state, dueAt: deadline === 'response' ? status.respondDueAt : status.resolveDueAt },
  });
}

async function remind(input: SupportCaseInput, status: SupportCaseStatus): Promise<void> {
  status.reminders += 1;
  await notify({
    deliveryId: input.deliveryId,
    action: 'case.reminder',
    actor: 'workflow',
    detail: { caseNo: input.caseNo, state: status.state, reminderCount: status.reminders },
  });
}

/** Tells the subscription what changed; a subscription that ended no longer listens, which is fine. */
async function tellSubscription(input: SupportCaseInput, status: SupportCaseStatus, told: string | undefined): Promise<string | undefined> {
  const now = `${status.state}/${status.escalated.join(',')}`;
  if (now === told) return told;
  try {
    await getExternalWorkflowHandle(input.subscriptionWorkflowId).signal(caseChangedSignal, {
      caseNo: status.caseNo,
      workflowId: status.workflowId,
      title: status.title,
      state: status.state,
      escalated: [...status.escalated],
    });
  } catch {
    // The subscription closed (ended by date): the case goes on on its own.
  }
  return now;
}
