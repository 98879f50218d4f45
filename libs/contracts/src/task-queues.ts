/** The worker polls this queue for every delivery workflow and activity. */
export const DELIVERY_TASK_QUEUE = 'sdo-deliveries';
