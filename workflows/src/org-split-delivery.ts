import { ApplicationFailure, CancellationScope, patched } from '@temporalio/workflow';
import {
  copyUnits,
  DeliveryFailureType,
  DeliveryInput,
  DeliveryRequest,
  DeliveryResult,
  OrgSplitActivities,
  OrgSplitAssessment,
  OrgSplitParameters,
  OrgSplitRequest,
  SplitExtraction,
  SplitSourceBackup,
  SplitSourceRemoval,
  SplitStepRequest,
  SplitTableCopy,
  unitLabel,
} from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from './lifecycle/activity-profiles';
import { runDelivery } from './lifecycle/delivery-run';
import { verdictOf } from './lifecycle/failures';
import { TableProgress } from './lifecycle/progress';

/** Assessment, planning, rehearsal and compensation retry for as long as an unreachable server needs. */
const orgSplit = deliveryActivities<OrgSplitActivities>(activityProfiles.patient);

/** Cutover steps get a bounded budget: the window is finite, and a failure is rolled back. A table copy resumes from its checkpoint. */
const cutoverStep = deliveryActivities<OrgSplitActivities>(activityProfiles.bounded);

/**
 * 组织拆分: one organisation's rows and the master data they reference, into a new database of its own.
 *
 * End states: a cancelled or failed rehearsal drops its scratch database; a cancelled or failed
 * cutover runs its compensation, which drops every table, sequence and schema the extraction
 * created in the target, so the target is as it was. The source is only ever read, unless
 * `removeFromSource` is set: then, after the new database is verified, the cutover backs the source
 * up, removes the organisation's own rows from it and verifies it; a failure restores the source
 * from the backup, which is dropped after acceptance. The rehearsal runs that removal too, in one
 * transaction on the source that it rolls back.
 */
export async function orgSplitDelivery(input: DeliveryInput<OrgSplitParameters>): Promise<DeliveryResult> {
  const requestOf = ({ environments, parameters }: DeliveryRequest<OrgSplitParameters>): OrgSplitRequest => {
    const sourceEnvironmentId = environments['source'];
    const targetEnvironmentId = environments['target'];
    if (!sourceEnvironmentId || !targetEnvironmentId || !parameters?.organisations?.length) {
      throw ApplicationFailure.nonRetryable(
        'An org split needs environments.source, environments.target and parameters.organisations',
        DeliveryFailureType.InvalidParameters,
      );
    }
    return { deliveryId: input.deliveryId, sourceEnvironmentId, targetEnvironmentId, parameters };
  };
  /** The request last assessed: a manager's amendment replaces it. */
  let request = requestOf(input);
  const progress = new TableProgress({ clock: 'start' });
  let assessment: OrgSplitAssessment | undefined;
  let planTables: { table: string; rows: number }[] = [];
  const sourceBackups: SplitSourceBackup[] = [];

  /** Create tables → copy table by table → keys and foreign keys → verify, each step an activity. */
  async function extract(step: SplitStepRequest, activities: OrgSplitActivities, label: string): Promise<SplitExtraction> {
    progress.start(`${label}: creating tables`, planTables);
    const { ms: prepareMs } = await activities.prepareSplitTarget(step);
    progress.stageIs(`${label}: copying`);
    const copyStarted = Date.now();
    const copies: SplitTableCopy[] = [];
    // Deliveries started before small tables shared an activity replay with one activity per table.
    const grouped = patched('copy-table-units');
    const units = grouped ? copyUnits(planTables, 1) : planTables.map((t) => [t.table]);
    for (const tables of units) {
      const label = unitLabel(tables);
      progress.working(label);
      const unit = grouped ? await activities.copySplitTables({ ...step, tables }) : [await activities.copySplitTable({ ...step, table: tables[0]! })];
      for (const copy of unit) {
        copies.push(copy);
        progress.finished(copy.table, copy.rows);
      }
      progress.idle(label);
    }
    const copyMs = Date.now() - copyStarted;
    progress.stageIs(`${label}: adding keys and foreign keys`);
    const { ms: finalizeMs } = await activities.finalizeSplitTarget(step);
    progress.stageIs(`${label}: verifying`);
    const verification = await activities.verifySplitTarget(step);
    progress.stageIs(`${label} ${verification.passed ? 'verified' : 'failed verification'}`);
    return { copies, verification, timings: { prepareMs, copyMs, finalizeMs, verifyMs: verification.ms } };
  }

  return runDelivery(input, {
    progressDetail: () => progress.describe(),
    assess: async (amended) => (assessment = await orgSplit.assessOrgSplit((request = requestOf(amended)))),
    draftPlan: async (revision, feedback) => {
      const draft = await orgSplit.draftOrgSplitPlan({ ...request, revision, feedback, assessmentReportId: assessment?.reportId ?? '' });
      planTables = draft.tables;
      return draft;
    },
    rehearse: async (plan) => {
      const { scratchDatabase } = await orgSplit.createRehearsalDatabase({ ...request, revision: plan.revision });
      try {
        let extraction: SplitExtraction | undefined;
        let removal: SplitSourceRemoval | undefined;
        let failure: string | undefined;
        try {
          extraction = await extract({ ...request, scratchDatabase }, orgSplit, 'rehearsal');
          if (!extraction.verification.passed) failure = `verification failed: ${extraction.verification.failures.join('; ')}`;
          // Deliveries started before removals were rehearsed replay without this step.
          else if (request.parameters.removeFromSource === true && patched('org-split-rehearse-removal')) {
            progress.stageIs('rehearsal: removing the organisation from the source, to be rolled back');
            removal = await orgSplit.rehearseSourceRemoval({ ...request, copies: extraction.copies });
          }
        } catch (err) {
          failure = verdictOf(err);
        }
        return await orgSplit.reportOrgSplitRehearsal({ ...request, planReportId: plan.reportId, passed: failure === undefined, failure, extraction, removal });
      } finally {
        await CancellationScope.nonCancellable(() => orgSplit.dropRehearsalDatabase({ ...request, scratchDatabase }));
      }
    },
    cutover: async (plan, compensations) => {
      // Registered before the first step: a failure half-way still leaves objects to drop.
      compensations.add('drop what the extraction created in the target', () => orgSplit.dropExtractedObjects(request));
      const extraction = await extract(request, cutoverStep, 'cutover');
      // Optional, and only once the new database is verified. Without it, the same commands as ever.
      if (request.parameters.removeFromSource === true && extraction.verification.passed) {
        progress.stageIs('cutover: backing up the source');
        const backup = await cutoverStep.backupSplitSource(request);
        sourceBackups.push(backup);
        // Restoring must succeed whatever it takes: it uses the unbounded retry policy.
        compensations.add(`restore the source from ${backup.backupDatabase}`, () => orgSplit.restoreSplitSource({ ...request, ...backup }));
        progress.stageIs('cutover: removing the organisation from the source');
        const removal: SplitSourceRemoval = await cutoverStep.removeOrganisationFromSource({ ...request, copies: extraction.copies });
        progress.stageIs('cutover: organisation removed from the source, verified');
        return cutoverStep.reportOrgSplitCutover({ ...request, planReportId: plan.reportId, extraction, removal, sourceBackup: backup.backupDatabase });
      }
      return cutoverStep.reportOrgSplitCutover({ ...request, planReportId: plan.reportId, extraction });
    },
    reportAcceptance: (reports) => orgSplit.reportOrgSplitAcceptance({ ...request, reportIds: reports.map((r) => r.reportId) }),
    afterAcceptance: async () => {
      await orgSplit.finishOrgSplit(request);
      for (const backup of sourceBackups.splice(0)) await orgSplit.discardSplitSourceBackup({ ...request, ...backup });
    },
  });
}
