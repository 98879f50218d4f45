import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import {
  CarryoverActivities,
  CarryoverAssessment,
  CarryoverParameters,
  CarryoverRequest,
  CutoverBackup,
  DeliveryFailureType,
  DeliveryInput,
  DeliveryResult,
} from '@sdo/contracts';
import { runDelivery } from './lifecycle/delivery-run';

/** Assessment, planning, rehearsal and compensation retry for as long as an unreachable server needs. */
const carryover = proxyActivities<CarryoverActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Cutover steps resume from what the live database records, within a bounded budget. */
const cutoverStep = proxyActivities<CarryoverActivities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** 数据结转: historical documents moved to an archive, balances carried forward, the live database purged. */
export async function dataCarryoverDelivery(input: DeliveryInput<CarryoverParameters>): Promise<DeliveryResult> {
  const liveEnvironmentId = input.environments['source'];
  const archiveEnvironmentId = input.environments['target'];
  if (!liveEnvironmentId || !archiveEnvironmentId || !input.parameters?.cutoffPeriod) {
    throw ApplicationFailure.nonRetryable('A carryover needs environments.source (live), environments.target (archive) and parameters.cutoffPeriod', DeliveryFailureType.InvalidParameters);
  }
  const request: CarryoverRequest = { deliveryId: input.deliveryId, liveEnvironmentId, archiveEnvironmentId, parameters: input.parameters };
  let assessment: CarryoverAssessment | undefined;
  const backups: CutoverBackup[] = [];

  return runDelivery(input, {
    assess: async () => (assessment = await carryover.assessCarryover(request)),
    draftPlan: (revision, feedback) => carryover.draftCarryoverPlan({ ...request, revision, feedback, assessmentReportId: assessment?.reportId ?? '' }),
    rehearse: (plan) => carryover.rehearseCarryover({ ...request, planReportId: plan.reportId }),
    cutover: async (plan, compensations) => {
      const backup = await cutoverStep.backupLive(request);
      backups.push(backup);
      compensations.add(`restore the live database from ${backup.backupDatabase}`, () => carryover.restoreLive({ ...request, ...backup }));
      compensations.add('drop the archived period', () => carryover.dropArchivedPeriod(request));
      return cutoverStep.carryOver({ ...request, planReportId: plan.reportId });
    },
    reportAcceptance: (reports) => carryover.reportCarryoverAcceptance({ ...request, reportIds: reports.map((r) => r.reportId) }),
    afterAcceptance: async () => {
      for (const backup of backups.splice(0)) await carryover.discardLiveBackup({ ...request, ...backup });
    },
  });
}
