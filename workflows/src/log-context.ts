import { workflowInfo, type WorkflowInterceptors } from '@temporalio/workflow';

/**
 * Workflow interceptors (bundled as a workflow interceptor module, not a workflow): every log line
 * of a delivery's workflow carries its delivery ID next to the workflow ID the SDK already adds.
 * The ID comes from the memo the API writes, else from the workflow's input; neither is a command.
 */
export const interceptors = (): WorkflowInterceptors => {
  let deliveryId: string | undefined;
  return {
    inbound: [
      {
        execute(input, next) {
          const first = input.args[0] as { deliveryId?: unknown } | undefined;
          if (typeof first?.deliveryId === 'string') deliveryId = first.deliveryId;
          return next(input);
        },
      },
    ],
    outbound: [
      {
        getLogAttributes(input, next) {
          const fromMemo = workflowInfo().memo?.['deliveryId'];
          const id = typeof fromMemo === 'string' ? fromMemo : deliveryId;
          return next(id ? { ...input, deliveryId: id } : input);
        },
      },
    ],
  };
};
