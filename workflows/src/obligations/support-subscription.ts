import { allHandlersFinished, condition, continueAsNew, ParentClosePolicy, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import {
  caseChangedSignal,
  CaseSummary,
  obligationWorkflowId,
  openCaseUpdate,
  renewSubscriptionUpdate,
  supportCaseWorkflowId,
  SupportSubscriptionInput,
  SupportSubscriptionState,
  SupportSubscriptionStatus,
  supportSubscriptionStatusQuery,
} from '@sdo/contracts';
import { notify, requireText } from './notices';
import { supportCaseWorkflow } from './support-case';

const DEFAULT_CASES_PER_RUN = 200;

/**
 * A support subscription (定制开发维护, 历史版本基础运维): cases are opened while it is active,
 * each its own child workflow with the subscription's SLAs; it renews (a later end date) or
 * ends by date. Continues as new after a number of cases so its history stays bounded.
 */
export async function supportSubscriptionWorkflow(input: SupportSubscriptionInput): Promise<SupportSubscriptionStatus> {
  const state: SupportSubscriptionState = input.carried ?? { period: { ...input.period }, cases: [], renewals: [], run: 1 };
  const status = (): SupportSubscriptionStatus => ({
    deliveryId: input.deliveryId,
    serviceType: input.serviceType,
    state: ended ? 'ended' : 'active',
    ...state,
  });
  let ended = false;
  let openedThisRun = 0;

  setHandler(supportSubscriptionStatusQuery, status);
  setHandler(caseChangedSignal, (change) => {
    const known = state.cases.find((c) => c.caseNo === change.caseNo);
    if (known) Object.assign(known, change);
  });
  setHandler(
    openCaseUpdate,
    async (opening) => {
      const caseNo = state.cases.length + 1;
      // Named from the input, not the run: IDs are commands, and replays run under other IDs.
      const subscriptionWorkflowId = obligationWorkflowId(input.deliveryWorkflowId);
      const summary: CaseSummary = {
        caseNo,
        workflowId: supportCaseWorkflowId(subscriptionWorkflowId, caseNo),
        title: opening.title,
        state: 'opened',
        escalated: [],
      };
      state.cases.push(summary);
      openedThisRun += 1;
      await startChild(supportCaseWorkflow, {
        workflowId: summary.workflowId,
        args: [
          {
            deliveryId: input.deliveryId,
            subscriptionWorkflowId,
            caseNo,
            title: opening.title,
            ...(opening.description ? { description: opening.description } : {}),
            openedBy: opening.openedBy,
            openedAt: new Date().toISOString(),
            sla: input.sla,
            gatePolicy: input.gatePolicy,
          },
        ],
        // A case outlives the run that opened it (continue-as-new) and the subscription's end.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      // The API audits what a manager does; the workflow audits what it does on its own (escalations, the end).
      return summary;
    },
    {
      validator: (opening) => {
        if (ended || Date.now() >= Date.parse(state.period.endsAt))
          throw new Error(`The subscription ended on ${state.period.endsAt}: renew it to open cases.`);
        requireText(opening?.title, 'title');
        requireText(opening?.openedBy, 'openedBy');
      },
    },
  );
  setHandler(
    renewSubscriptionUpdate,
    (renewal) => {
      state.period.endsAt = new Date(Date.parse(renewal.endsAt)).toISOString();
      state.renewals.push({ endsAt: state.period.endsAt, by: renewal.renewedBy });
      return status();
    },
    {
      validator: (renewal) => {
        if (ended) throw new Error('The subscription has ended.');
        if (Number.isNaN(Date.parse(renewal?.endsAt)) || Date.parse(renewal.endsAt) <= Date.parse(state.period.endsAt)) {
          throw new Error(`endsAt must be an ISO-8601 instant after the current end, ${state.period.endsAt}`);
        }
        requireText(renewal.renewedBy, 'renewedBy');
      },
    },
  );

  const casesPerRun = input.casesPerRun ?? DEFAULT_CASES_PER_RUN;
  for (;;) {
    const endsAt = state.period.endsAt;
    const remaining = Date.parse(endsAt) - Date.now();
    if (remaining <= 0) break;
    const due = () => state.period.endsAt !== endsAt || openedThisRun >= casesPerRun || workflowInfo().continueAsNewSuggested;
    await condition(due, remaining);
    if (openedThisRun >= casesPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof supportSubscriptionWorkflow>({ ...input, carried: { ...state, run: state.run + 1 } });
    }
  }
  ended = true;
  await notify({ deliveryId: input.deliveryId, action: 'subscription.ended', actor: 'workflow', detail: { endsAt: state.period.endsAt } });
  await condition(allHandlersFinished);
  return status();
}
