import { ApplicationFailure, CancellationScope, patched } from '@temporalio/workflow';
import {
  ConversionActivities,
  ConversionAssessment,
  ConversionTarget,
  DatabaseConversionParameters,
  DataActivities,
  DEFAULT_PARALLEL_TABLES,
  DeliveryFailureType,
  DeliveryInput,
  DeliveryRequest,
  DeliveryResult,
  PhaseReportRef,
} from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from './lifecycle/activity-profiles';
import { runDelivery } from './lifecycle/delivery-run';
import { copyAndVerify } from './data-delivery/bulk-copy';
import { TableProgress } from './lifecycle/progress';

/** Assessment, planning and rehearsal may retry for as long as a flaky database needs. */
const conversion = deliveryActivities<ConversionActivities>(activityProfiles.patient);
const cutoverStep = deliveryActivities<ConversionActivities>(activityProfiles.bounded);

/** Copies resume from their checkpoints; keys and foreign keys that cannot be added (e.g. orphan rows) fail the same way every time. */
const rehearsalData = {
  copy: deliveryActivities<DataActivities>(activityProfiles.copy),
  bounded: deliveryActivities<DataActivities>(activityProfiles.bounded),
};
const cutoverData = {
  copy: deliveryActivities<DataActivities>(activityProfiles.bounded),
  bounded: deliveryActivities<DataActivities>(activityProfiles.bounded),
};

/**
 * 数据库转换服务: a MySQL/MariaDB or SQLite database converted into PostgreSQL.
 *
 * End states: a cancelled or failed rehearsal drops its scratch database; a cancelled or failed
 * cutover runs its compensation, which drops the tables (and schemas) the cutover created, so the
 * target is as it was before the cutover.
 */
export async function databaseConversionDelivery(input: DeliveryInput<DatabaseConversionParameters>): Promise<DeliveryResult> {
  const targetOf = ({ environments, parameters }: DeliveryRequest<DatabaseConversionParameters>): ConversionTarget => {
    const sourceEnvironmentId = environments['source'];
    const targetEnvironmentId = environments['target'];
    if (!sourceEnvironmentId || !targetEnvironmentId) {
      throw ApplicationFailure.nonRetryable('A database conversion needs environments.source and environments.target', DeliveryFailureType.InvalidParameters);
    }
    return { deliveryId: input.deliveryId, sourceEnvironmentId, targetEnvironmentId, parameters: parameters ?? {} };
  };
  /** The request last assessed: a manager's amendment replaces it. */
  let target = targetOf(input);
  // Deliveries started before tables were copied in lanes keep copying one at a time on replay.
  const copyRequest = (jobId: string, targetEnv: string) => {
    const parameters = target.parameters;
    return {
      jobId,
      source: { environmentId: target.sourceEnvironmentId },
      targetEnvironmentId: targetEnv,
      targetSchema: parameters.targetSchema ?? 'public',
      naming: parameters.naming ?? 'snake',
      tables: parameters.tables,
      exclude: parameters.exclude,
      excludeColumns: parameters.excludeColumns,
      columnTypes: parameters.columnTypes,
      rename: parameters.rename,
      chunkRows: parameters.chunkRows,
      parallelTables: patched('conversion-parallel-tables') ? (parameters.parallelTables ?? DEFAULT_PARALLEL_TABLES) : 1,
      lanesChosen: parameters.parallelTables !== undefined,
    };
  };
  const progress = new TableProgress({ clock: 'start' });
  let assessment: ConversionAssessment | undefined;
  /** Introspection of the last passed rehearsal: the cutover's drift baseline. */
  let rehearsalSnapshotId: string | undefined;
  let cutovers = 0;

  return runDelivery(input, {
    progressDetail: () => progress.describe(),
    assess: async (request) => (assessment = await conversion.assessConversion((target = targetOf(request)))),
    draftPlan: (revision, feedback) => conversion.draftConversionPlan({ ...target, revision, feedback, assessmentReportId: assessment?.reportId ?? '' }),

    rehearse: async (plan) => {
      const scratch = await conversion.createScratchDatabase({ ...target, purpose: `r${plan.revision}` });
      try {
        const facts = await copyAndVerify(
          rehearsalData,
          copyRequest(`${input.deliveryId}/rehearsal-r${plan.revision}`, scratch.environmentRef),
          progress,
          'report',
        );
        const outcome = await conversion.reportConversionRehearsal({
          ...target,
          ...facts,
          revision: plan.revision,
          planReportId: plan.reportId,
          scratchDatabase: scratch.database,
        });
        if (outcome.passed) rehearsalSnapshotId = facts.snapshotId;
        return outcome;
      } finally {
        // Whatever happened (cancellation included), the scratch database goes.
        await CancellationScope.nonCancellable(() => conversion.dropScratchDatabase({ ...target, ...scratch }));
      }
    },

    cutover: async (plan, compensations) => {
      cutovers += 1;
      const jobId = `${input.deliveryId}/cutover-${cutovers}`;
      await cutoverStep.checkSourceDrift({ ...target, baselineSnapshotId: mustHave(rehearsalSnapshotId) });
      const claim = await cutoverStep.claimTargetSchema(target);
      // Registered before anything is created: dropping is idempotent and finds only what this cutover made.
      compensations.add(`drop the ${claim.tables.length} table(s) the cutover created in ${claim.targetSchema}`, () =>
        conversion.dropCutoverObjects({ ...target, ...claim, jobIds: [jobId] }),
      );
      const facts = await copyAndVerify(cutoverData, copyRequest(jobId, target.targetEnvironmentId), progress, 'throw');
      return cutoverStep.recordConversionCutover({ ...target, ...facts, planReportId: plan.reportId, rehearsalSnapshotId: mustHave(rehearsalSnapshotId) });
    },

    reportAcceptance: (reports: PhaseReportRef[]) => conversion.reportConversionAcceptance({ ...target, reportIds: reports.map((r) => r.reportId) }),
  });
}

function mustHave<T>(value: T | undefined): T {
  if (value === undefined) throw ApplicationFailure.nonRetryable('No passed rehearsal to cut over from', 'LifecycleError');
  return value;
}
