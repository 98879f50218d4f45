import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import {
  CarryoverActivities,
  CarryoverAssessment,
  CarryoverParameters,
  CarryoverRequest,
  CarryoverRun,
  CarryoverStepRequest,
  CutoverBackup,
  DeliveryFailureType,
  DeliveryInput,
  DeliveryRequest,
  DeliveryResult,
} from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from './lifecycle/activity-profiles';
import { runDelivery } from './lifecycle/delivery-run';
import { verdictOf } from './lifecycle/failures';
import { TableProgress } from './lifecycle/progress';

/** Assessment, planning, rehearsal and compensation retry for as long as an unreachable server needs. */
const carryover = deliveryActivities<CarryoverActivities>(activityProfiles.patient);

/** Cutover steps resume from the run state the live database records, within a bounded budget. */
const cutoverStep = deliveryActivities<CarryoverActivities>(activityProfiles.bounded);

/**
 * 数据结转: historical documents moved to an archive, balances carried forward, the live database purged.
 *
 * End states: a cancelled or failed rehearsal drops its clone and scratch archive; a cancelled or
 * failed cutover drops the archive schema it created and restores the live database from the backup
 * taken at the start of the window, so both are as they were. A finished cut-off is recorded in the
 * live database, and running it again changes nothing.
 */
export async function dataCarryoverDelivery(input: DeliveryInput<CarryoverParameters>): Promise<DeliveryResult> {
  const requestOf = ({ environments, parameters }: DeliveryRequest<CarryoverParameters>): CarryoverRequest => {
    const liveEnvironmentId = environments['source'];
    const archiveEnvironmentId = environments['target'];
    if (!liveEnvironmentId || !archiveEnvironmentId || !parameters?.cutoffPeriod) {
      throw ApplicationFailure.nonRetryable(
        'A carryover needs environments.source (live), environments.target (archive) and parameters.cutoffPeriod',
        DeliveryFailureType.InvalidParameters,
      );
    }
    return { deliveryId: input.deliveryId, liveEnvironmentId, archiveEnvironmentId, parameters };
  };
  /** The request last assessed: a manager's amendment replaces it. */
  let request = requestOf(input);
  const progress = new TableProgress({ clock: 'first table', verb: 'purged', before: (rows, tables) => `${rows} historical rows in ${tables} tables` });
  let assessment: CarryoverAssessment | undefined;
  let planTables: { table: string; rows: number }[] = [];
  const backups: CutoverBackup[] = [];

  /** Archive + verify → carry balances forward → purge table by table → verify the trial balance. */
  async function carry(step: CarryoverStepRequest, activities: CarryoverActivities, label: string): Promise<CarryoverRun> {
    progress.start(`${label}: archiving and verifying`, planTables);
    const archive = await activities.archiveHistory(step);
    const run: CarryoverRun = {
      archive,
      openingVouchers: 0,
      purged: {},
      trialBalance: null,
      timings: { archiveMs: archive.ms, carryForwardMs: 0, purgeMs: 0, verifyMs: 0 },
    };
    if (archive.noop) {
      progress.stageIs(`${label}: already carried over`);
      return run;
    }
    progress.stageIs(`${label}: carrying balances forward`);
    const forward = await activities.carryBalancesForward(step);
    run.openingVouchers = forward.openingVouchers;
    run.timings.carryForwardMs = forward.ms;
    progress.stageIs(`${label}: purging`);
    const purgeStarted = Date.now();
    for (const { table } of planTables) {
      progress.working(table);
      const purged = await activities.purgeHistory({ ...step, table });
      run.purged[table] = purged.rows;
      progress.finished(table, purged.rows);
    }
    run.timings.purgeMs = Date.now() - purgeStarted;
    progress.stageIs(`${label}: verifying the trial balance`);
    const finished = await activities.finishCarryover({ ...step, archived: archive.archived, purged: run.purged });
    run.trialBalance = finished.trialBalance;
    run.timings.verifyMs = finished.ms;
    progress.stageIs(`${label} verified`);
    return run;
  }

  return runDelivery(input, {
    progressDetail: () => progress.describe(),
    assess: async (amended) => (assessment = await carryover.assessCarryover((request = requestOf(amended)))),
    draftPlan: async (revision, feedback) => {
      const draft = await carryover.draftCarryoverPlan({ ...request, revision, feedback, assessmentReportId: assessment?.reportId ?? '' });
      planTables = draft.tables;
      return draft;
    },
    rehearse: async (plan) => {
      const rehearsal = await carryover.createCarryoverRehearsal({ ...request, revision: plan.revision });
      try {
        let run: CarryoverRun | undefined;
        let failure: string | undefined;
        let rerunNoop: boolean | undefined;
        try {
          run = await carry({ ...request, rehearsal }, carryover, 'rehearsal');
          rerunNoop = (await carryover.archiveHistory({ ...request, rehearsal })).noop;
          if (!rerunNoop) failure = 'running the same cut-off a second time was not a no-op';
        } catch (err) {
          failure = verdictOf(err);
        }
        return await carryover.reportCarryoverRehearsal({ ...request, planReportId: plan.reportId, passed: failure === undefined, failure, run, rerunNoop });
      } finally {
        await CancellationScope.nonCancellable(() => carryover.dropCarryoverRehearsal({ ...request, rehearsal }));
      }
    },
    cutover: async (plan, compensations) => {
      const backup = await cutoverStep.backupLive(request);
      backups.push(backup);
      // Undone newest first: the archive schema is dropped, then the live database restored.
      compensations.add(`restore the live database from ${backup.backupDatabase}`, () => carryover.restoreLive({ ...request, ...backup }));
      compensations.add('drop the archived period', () => carryover.dropArchivedPeriod(request));
      const run = await carry(request, cutoverStep, 'cutover');
      return cutoverStep.reportCarryoverCutover({ ...request, planReportId: plan.reportId, run });
    },
    reportAcceptance: (reports) => carryover.reportCarryoverAcceptance({ ...request, reportIds: reports.map((r) => r.reportId) }),
    afterAcceptance: async () => {
      for (const backup of backups.splice(0)) await carryover.discardLiveBackup({ ...request, ...backup });
    },
  });
}
