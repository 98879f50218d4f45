/**
 * The OpenTelemetry workflow interceptors, bundled into the workflow sandbox (not a workflow), in
 * place of the package's own module. Its Update-validation span is the first to use the SDK flag
 * OpenTelemetryInterceptorsInstrumentsAllMethods when an Update reaches a run before any query or
 * accepted Update did. If the workflow refuses that Update, the flag is reported only in a
 * speculative workflow task the server drops with it: the worker then wraps later Update handlers
 * in spans (their completion comes after the gate's timer is cancelled) while a replay, not finding
 * the flag in history, does not — "Update machine does not handle this event: TimerCanceled".
 * So every new run uses the flag in its first task (always kept), and validation is traced only
 * once the run's history holds the flag.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { Next, UpdateInput, WorkflowExecuteInput, WorkflowInboundCallsInterceptor, WorkflowInterceptors } from '@temporalio/workflow';
import { SdkFlags } from '@temporalio/workflow/lib/flags';
import { getActivator } from '@temporalio/workflow/lib/global-attributes';

const TRACES_ALL_METHODS = SdkFlags.OpenTelemetryInterceptorsInstrumentsAllMethods;

/** Whether the run already uses the flag, without turning it on (hasFlag would, outside replay). */
function tracesAllMethods(): boolean {
  const activator = getActivator();
  if (activator.info.unsafe.isReplaying) return activator.hasFlag(TRACES_ALL_METHODS);
  const known = (activator as unknown as { knownFlags?: ReadonlySet<number> }).knownFlags;
  return known?.has(TRACES_ALL_METHODS.id) ?? false;
}

export class DeliveryTracingInboundInterceptor extends OpenTelemetryInboundInterceptor {
  override execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    // The run's first activation: recorded with the first workflow task. Replays of runs started
    // before this learn from their history whether the flag was on.
    getActivator().hasFlag(TRACES_ALL_METHODS);
    return super.execute(input, next);
  }

  override validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    if (!tracesAllMethods()) return next(input);
    return super.validateUpdate(input, next);
  }
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new DeliveryTracingInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
