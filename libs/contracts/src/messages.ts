import { defineQuery, defineUpdate } from '@temporalio/workflow';
import {
  AcceptanceConfirmation,
  AcceptanceRejection,
  ContractSignature,
  CutoverWindowChange,
  DeliveryStatus,
  ParameterAmendment,
  PlanDecision,
} from './delivery';

/** Queries and updates every delivery workflow answers. Updates return the status after the change. */
export const deliveryStatusQuery = defineQuery<DeliveryStatus>('deliveryStatus');

export const signContractUpdate = defineUpdate<DeliveryStatus, [ContractSignature]>('signContract');
export const approvePlanUpdate = defineUpdate<DeliveryStatus, [PlanDecision]>('approvePlan');
export const rejectPlanUpdate = defineUpdate<DeliveryStatus, [PlanDecision]>('rejectPlan');
export const confirmAcceptanceUpdate = defineUpdate<DeliveryStatus, [AcceptanceConfirmation]>('confirmAcceptance');
export const rejectAcceptanceUpdate = defineUpdate<DeliveryStatus, [AcceptanceRejection]>('rejectAcceptance');
export const moveCutoverWindowUpdate = defineUpdate<DeliveryStatus, [CutoverWindowChange]>('moveCutoverWindow');
export const amendParametersUpdate = defineUpdate<DeliveryStatus, [ParameterAmendment]>('amendParameters');
