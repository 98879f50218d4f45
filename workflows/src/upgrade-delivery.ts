import { ApplicationFailure } from '@temporalio/workflow';
import {
  CutoverBackup,
  DeliveryFailureType,
  DeliveryInput,
  DeliveryRequest,
  DeliveryResult,
  UpgradeActivities,
  UpgradeAssessment,
  UpgradeParameters,
  UpgradeTarget,
} from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from './lifecycle/activity-profiles';
import { runDelivery } from './lifecycle/delivery-run';

/** Assessment, planning and rehearsal may retry for as long as it takes a flaky target to come back. */
const upgrade = deliveryActivities<UpgradeActivities>(activityProfiles.patient);

/** Cutover steps get a bounded budget: the window is finite, and a failure is rolled back. */
const cutoverStep = deliveryActivities<UpgradeActivities>(activityProfiles.bounded);

/** 升级服务: a Flyway-style upgrade package applied to the customer's data centre. */
export async function upgradeDelivery(input: DeliveryInput<UpgradeParameters>): Promise<DeliveryResult> {
  const targetOf = ({ environments, parameters }: DeliveryRequest<UpgradeParameters>): UpgradeTarget => {
    const targetEnvironmentId = environments['target'];
    if (!targetEnvironmentId || !parameters?.packageId) {
      throw ApplicationFailure.nonRetryable('An upgrade needs environments.target and parameters.packageId', DeliveryFailureType.InvalidParameters);
    }
    return { deliveryId: input.deliveryId, targetEnvironmentId, packageId: parameters.packageId };
  };
  /** The request last assessed: a manager's amendment replaces it. */
  let target = targetOf(input);
  let assessment: UpgradeAssessment | undefined;
  const backups: CutoverBackup[] = [];

  return runDelivery(input, {
    assess: async (request) => (assessment = await upgrade.assessUpgrade((target = targetOf(request)))),
    draftPlan: (revision, feedback) => upgrade.draftUpgradePlan({ ...target, revision, feedback, assessmentReportId: assessment?.reportId ?? '' }),
    rehearse: (plan) => upgrade.rehearseUpgrade({ ...target, planReportId: plan.reportId }),
    cutover: async (plan, compensations) => {
      const backup = await cutoverStep.backupTarget(target);
      backups.push(backup);
      // Restoring must succeed whatever it takes: it uses the unbounded retry policy.
      compensations.add(`restore target from ${backup.backupDatabase}`, () => upgrade.restoreTarget({ ...target, ...backup }));
      return cutoverStep.applyUpgrade({ ...target, planReportId: plan.reportId });
    },
    reportAcceptance: (reports) => upgrade.reportUpgradeAcceptance({ ...target, reportIds: reports.map((r) => r.reportId) }),
    afterAcceptance: async () => {
      for (const backup of backups.splice(0)) await upgrade.discardBackup({ ...target, ...backup });
    },
  });
}
