import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import {
  DeliveryFailureType,
  DeliveryInput,
  DeliveryResult,
  OrgSplitActivities,
  OrgSplitAssessment,
  OrgSplitParameters,
  OrgSplitRequest,
} from '@sdo/contracts';
import { runDelivery } from './lifecycle/delivery-run';

/** Assessment, planning, rehearsal and compensation retry for as long as an unreachable server needs. */
const orgSplit = proxyActivities<OrgSplitActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The extraction resumes from its per-table checkpoints on retry, within a bounded budget. */
const cutoverStep = proxyActivities<OrgSplitActivities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** 组织拆分: one organisation's rows and the master data they reference, into a new database of its own. */
export async function orgSplitDelivery(input: DeliveryInput<OrgSplitParameters>): Promise<DeliveryResult> {
  const sourceEnvironmentId = input.environments['source'];
  const targetEnvironmentId = input.environments['target'];
  if (!sourceEnvironmentId || !targetEnvironmentId || !input.parameters?.organisations?.length) {
    throw ApplicationFailure.nonRetryable('An org split needs environments.source, environments.target and parameters.organisations', DeliveryFailureType.InvalidParameters);
  }
  const request: OrgSplitRequest = { deliveryId: input.deliveryId, sourceEnvironmentId, targetEnvironmentId, parameters: input.parameters };
  let assessment: OrgSplitAssessment | undefined;

  return runDelivery(input, {
    assess: async () => (assessment = await orgSplit.assessOrgSplit(request)),
    draftPlan: (revision, feedback) => orgSplit.draftOrgSplitPlan({ ...request, revision, feedback, assessmentReportId: assessment?.reportId ?? '' }),
    rehearse: (plan) => orgSplit.rehearseOrgSplit({ ...request, planReportId: plan.reportId }),
    cutover: async (plan, compensations) => {
      // Registered before the step: a failure half-way still leaves objects to drop.
      compensations.add('drop what the extraction created in the target', () => orgSplit.dropExtractedObjects(request));
      return cutoverStep.extractOrganisation({ ...request, planReportId: plan.reportId });
    },
    reportAcceptance: (reports) => orgSplit.reportOrgSplitAcceptance({ ...request, reportIds: reports.map((r) => r.reportId) }),
    afterAcceptance: () => orgSplit.finishOrgSplit(request),
  });
}
