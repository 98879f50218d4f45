import { ApplicationFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import {
  DataMigrationActivities,
  DataMigrationParameters,
  DeliveryFailureType,
  DeliveryInput,
  DeliveryRequest,
  DeliveryResult,
  MappingReconciliation,
  MigrationAssessment,
  MigrationTarget,
  PhaseReportRef,
  SourceSnapshot,
} from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from './lifecycle/activity-profiles';
import { runDelivery } from './lifecycle/delivery-run';
import { failureMessage } from './lifecycle/failures';

const migration = deliveryActivities<DataMigrationActivities>(activityProfiles.patient);
const cutoverStep = deliveryActivities<DataMigrationActivities>(activityProfiles.bounded);
/** A load resumes from its checkpoint after a dead worker. */
const rehearsalLoad = deliveryActivities<DataMigrationActivities>(activityProfiles.copy);
const cutoverLoad = deliveryActivities<DataMigrationActivities>(activityProfiles.bounded);

/**
 * 数据迁移服务: an old product's data loaded into a new product's schema through a declarative mapping.
 *
 * End states: a cancelled or failed rehearsal drops its scratch copy of the target; a cancelled or
 * failed cutover empties the mapped target tables again (they had to be empty before) and closes
 * the load's checkpoints, so an attempt still running or starting late cannot load again.
 */
export async function dataMigrationDelivery(input: DeliveryInput<DataMigrationParameters>): Promise<DeliveryResult> {
  const targetOf = ({ environments, parameters }: DeliveryRequest<DataMigrationParameters>): MigrationTarget => {
    const sourceEnvironmentId = environments['source'];
    const targetEnvironmentId = environments['target'];
    if (!sourceEnvironmentId || !targetEnvironmentId || !parameters?.mappings?.length) {
      throw ApplicationFailure.nonRetryable(
        'A data migration needs environments.source, environments.target and parameters.mappings',
        DeliveryFailureType.InvalidParameters,
      );
    }
    return { deliveryId: input.deliveryId, sourceEnvironmentId, targetEnvironmentId, parameters };
  };
  /** The request last assessed: a manager's amendment replaces it. */
  let target = targetOf(input);
  let assessment: MigrationAssessment | undefined;
  let baseline: SourceSnapshot | undefined;
  let cutovers = 0;
  let detail: string | undefined;

  /** Loads every mapping in order; progress is readable through the status query. */
  async function loadAll(load: DataMigrationActivities, jobId: string, loadInto: string): Promise<MappingReconciliation[]> {
    const done: MappingReconciliation[] = [];
    try {
      const mappings = target.parameters.mappings;
      for (let i = 0; i < mappings.length; i++) {
        const rows = done.reduce((n, r) => n + r.loaded, 0);
        detail = `loading mapping ${i + 1}/${mappings.length} (${mappings[i]!.name}); ${rows} row(s) loaded so far`;
        done.push(await load.loadMapping({ ...target, jobId, loadInto, mappingIndex: i }));
      }
      return done;
    } finally {
      detail = undefined;
    }
  }

  return runDelivery(input, {
    progressDetail: () => detail,
    assess: async (request) => (assessment = await migration.assessMigration((target = targetOf(request)))),
    draftPlan: (revision, feedback) => migration.draftMigrationPlan({ ...target, revision, feedback, assessmentReportId: assessment?.reportId ?? '' }),

    rehearse: async (plan) => {
      const started = Date.now();
      const snapshot = await migration.snapshotSource(target);
      const scratch = await migration.createMigrationScratch({ ...target, purpose: `m${plan.revision}` });
      const jobId = `${input.deliveryId}/rehearsal-r${plan.revision}`;
      try {
        let reconciliations: MappingReconciliation[] = [];
        let failure: string | undefined;
        try {
          reconciliations = await loadAll(rehearsalLoad, jobId, scratch.environmentRef);
        } catch (err) {
          if (isCancellation(err)) throw err;
          failure = failureMessage(err);
        }
        const outcome = await migration.reportMigrationRehearsal({
          ...target,
          jobId,
          loadInto: scratch.environmentRef,
          reconciliations,
          failure,
          durationMs: Date.now() - started,
          revision: plan.revision,
          scratchDatabase: scratch.database,
        });
        if (outcome.passed) baseline = snapshot;
        return outcome;
      } finally {
        await CancellationScope.nonCancellable(() => migration.dropMigrationScratch({ ...target, database: scratch.database }));
      }
    },

    cutover: async (_plan, compensations) => {
      const started = Date.now();
      cutovers += 1;
      const jobId = `${input.deliveryId}/cutover-${cutovers}`;
      if (!baseline) throw ApplicationFailure.nonRetryable('No passed rehearsal to cut over from', 'LifecycleError');
      await cutoverStep.checkMigrationDrift({ ...target, baseline });
      const claim = await cutoverStep.claimMigrationTarget(target);
      compensations.add(`empty ${claim.tables.join(', ')} again`, () => migration.undoMigrationLoad({ ...target, ...claim, jobIds: [jobId] }));
      const reconciliations = await loadAll(cutoverLoad, jobId, target.targetEnvironmentId);
      return cutoverStep.recordMigrationCutover({ ...target, jobId, loadInto: target.targetEnvironmentId, reconciliations, durationMs: Date.now() - started });
    },

    reportAcceptance: (reports: PhaseReportRef[]) => migration.reportMigrationAcceptance({ ...target, reportIds: reports.map((r) => r.reportId) }),
  });
}
