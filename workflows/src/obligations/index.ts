export { supportCaseWorkflow } from './support-case';
export { supportSubscriptionWorkflow } from './support-subscription';
export { recurringServiceWorkflow } from './recurring-service';
export { taskPlanWorkflow } from './task-plan';
