import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  endServiceUpdate,
  periodBoundary,
  RecurringServiceInput,
  RecurringServiceState,
  RecurringServiceStatus,
  recurringServiceStatusQuery,
  renewServiceUpdate,
  tasksForPeriod,
} from '@sdo/contracts';
import { notify, requireText } from './notices';
import { TaskBook } from './tasks';

const DEFAULT_PERIODS_PER_RUN = 12;

/**
 * A service that runs for months (驻场服务, the O&M of 私有部署与运维支持): at the end of every
 * period a timer opens that period's tasks (the resident consultant's SLA assessment; patches,
 * backup checks, inspections) until the contract's periods are over — renewals add periods, an
 * end stops it early — then it waits for the open tasks. It continues as new every few periods
 * (or when Temporal suggests it), carrying its ledger and open tasks.
 */
export async function recurringServiceWorkflow(input: RecurringServiceInput): Promise<RecurringServiceStatus> {
  const state: RecurringServiceState = input.carried ?? { periodsStarted: 0, periods: input.periods, tasks: [], renewals: [], run: 1 };
  const book = new TaskBook(input.deliveryId, state.tasks);
  let ended = false;
  const status = (): RecurringServiceStatus => ({
    deliveryId: input.deliveryId,
    kind: input.kind,
    state: ended ? 'ended' : 'running',
    ...state,
    ...(state.periodsStarted < state.periods ? { nextPeriodAt: periodBoundary(input.startsAt, input.periodLength, state.periodsStarted + 1) } : {}),
    endsAt: periodBoundary(input.startsAt, input.periodLength, state.periods),
  });

  setHandler(recurringServiceStatusQuery, status);
  setHandler(
    renewServiceUpdate,
    async (renewal) => {
      state.periods += renewal.periods;
      state.renewals.push({ periods: renewal.periods, by: renewal.renewedBy });
      await notify({
        deliveryId: input.deliveryId,
        action: 'service.renewed',
        actor: renewal.renewedBy,
        detail: { periods: renewal.periods, total: state.periods },
      });
      return status();
    },
    {
      validator: (renewal) => {
        if (ended || state.periodsStarted >= state.periods) throw new Error('The service has ended: start a new order.');
        if (!Number.isInteger(renewal?.periods) || renewal.periods < 1) throw new Error('periods must be a whole number of at least 1');
        requireText(renewal.renewedBy, 'renewedBy');
      },
    },
  );
  setHandler(
    endServiceUpdate,
    (end) => {
      ended = true;
      state.periods = state.periodsStarted;
      state.endReason = `${end.reason} (${end.endedBy})`;
      return status();
    },
    {
      validator: (end) => {
        if (ended || state.periodsStarted >= state.periods) throw new Error('The service has already ended.');
        requireText(end?.endedBy, 'endedBy');
        requireText(end?.reason, 'reason');
      },
    },
  );

  const periodsPerRun = input.periodsPerRun ?? DEFAULT_PERIODS_PER_RUN;
  let periodsThisRun = 0;
  while (state.periodsStarted < state.periods) {
    if (periodsThisRun >= periodsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof recurringServiceWorkflow>({ ...input, carried: { ...state, run: state.run + 1 } });
    }
    const period = state.periodsStarted + 1;
    const endsAt = periodBoundary(input.startsAt, input.periodLength, period);
    const wait = Date.parse(endsAt) - Date.now();
    if (wait > 0 && (await condition(() => state.periodsStarted >= state.periods, wait))) break;
    const dueAt = periodBoundary(input.startsAt, input.periodLength, period + 1);
    for (const task of tasksForPeriod(input.kind, period, new Date().toISOString(), dueAt)) await book.add(task);
    state.periodsStarted = period;
    periodsThisRun += 1;
  }
  ended = true;
  // The last period's tasks are still owed after the contract's end.
  await condition(() => book.open().length === 0);
  await notify({ deliveryId: input.deliveryId, action: 'service.completed', actor: 'workflow', detail: { periods: state.periods } });
  await condition(allHandlersFinished);
  return status();
}
