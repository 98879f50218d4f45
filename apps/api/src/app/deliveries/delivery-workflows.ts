import { Inject, Injectable } from '@nestjs/common';
import {
  Client,
  Connection,
  isGrpcDeadlineError,
  WorkflowHandle,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { UpdateDefinition, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import {
  CatalogFlowInput,
  DELIVERY_TASK_QUEUE,
  DeliveryInput,
  isCatalogFlowCode,
  DeliverySearchAttributes,
  DeliveryStatus,
  deliveryStatusQuery,
} from '@sdo/contracts';
import type { SdoConfig } from '@sdo/config';
import { ApiOptions, DEFAULT_API_OPTIONS } from '../infrastructure/api-options';
import { API_OPTIONS, SDO_CONFIG } from '../infrastructure/tokens';

/** What a person recognises a run by in the Temporal UI. Names only: no hosts, no credentials. */
export interface DeliveryMemo {
  deliveryId: string;
  customerId: string;
  orderNo: string;
  service: string;
  environments: Record<string, string>;
  requestedBy: string;
}

const QUERY_TIMEOUT_MS = 3_000;
/** How long a read waits on a pending decision's outcome before showing it as still pending. */
const OUTCOME_POLL_MS = 1_000;

/** What became of a gate's Update, polled by its ID. */
export type UpdateOutcome =
  { kind: 'completed'; status: DeliveryStatus } | { kind: 'refused'; reason: string } | { kind: 'pending' } | { kind: 'lost'; reason: string };

/** Temporal did not answer in time or could not be reached: the call may be retried, its effect is unknown. */
export function isTransientTemporalError(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return true;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 4 || code === 14) return true; // DEADLINE_EXCEEDED, UNAVAILABLE
  }
  return false;
}

/** All Temporal I/O of the deliveries feature; every call carries a deadline. */
@Injectable()
export class DeliveryWorkflows {
  private readonly timeoutMs: number;
  private readonly taskQueue: string;

  constructor(
    private readonly client: Client,
    @Inject(Connection) private readonly connection: Connection,
    @Inject(API_OPTIONS) options: ApiOptions,
    @Inject(SDO_CONFIG) config: SdoConfig,
  ) {
    this.timeoutMs = options.temporalTimeoutMs ?? DEFAULT_API_OPTIONS.temporalTimeoutMs;
    // An installation may configure its own queue (the worker polls the same setting).
    this.taskQueue = (config.temporal as { taskQueue?: string }).taskQueue ?? DELIVERY_TASK_QUEUE;
  }

  /**
   * Starts the delivery's workflow, or finds it running (`USE_EXISTING`): retrying a start after a
   * crash between claim and start heals it. A closed run with the same ID is never started again.
   * Returns whether the run already existed and closed.
   */
  async start(
    workflowId: string,
    workflowType: string,
    input: DeliveryInput | CatalogFlowInput,
    memo: DeliveryMemo,
    summary: string,
  ): Promise<{ runId?: string; alreadyClosed: boolean }> {
    try {
      const handle = await this.withDeadline(this.timeoutMs, () =>
        this.client.workflow.start(workflowType, {
          taskQueue: this.taskQueue,
          workflowId,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: DeliverySearchAttributes.serviceType, value: input.serviceType },
            { key: DeliverySearchAttributes.customerId, value: input.customerId },
            { key: DeliverySearchAttributes.phase, value: isCatalogFlowCode(input.serviceType) ? 'delivering' : 'assessment' },
          ],
          memo: { ...memo },
          staticSummary: summary,
        }),
      );
      return { runId: handle.firstExecutionRunId, alreadyClosed: false };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { alreadyClosed: true };
      throw err;
    }
  }

  /** The live status, or why it is not available (no worker, Temporal down, workflow gone); waits at most `waitMs` (3 s). */
  async status(workflowId: string, waitMs = QUERY_TIMEOUT_MS): Promise<{ status: DeliveryStatus } | { unavailable: string }> {
    try {
      return { status: await this.withDeadline(waitMs, () => this.handle(workflowId).query(deliveryStatusQuery)) };
    } catch (err) {
      return { unavailable: describeUnavailable(err) };
    }
  }

  /**
   * Runs a gate's Workflow Update under the given ID (so its outcome can be polled later); the
   * validator's refusal surfaces as WorkflowUpdateFailedError (→ 409).
   */
  async update<Arg>(workflowId: string, update: UpdateDefinition<DeliveryStatus, [Arg]>, arg: Arg, updateId: string): Promise<DeliveryStatus> {
    return this.withDeadline(this.timeoutMs, () => this.handle(workflowId).executeUpdate(update, { args: [arg], updateId }));
  }

  /** The outcome of an Update sent earlier, waiting at most a second for it. */
  async updateOutcome(workflowId: string, updateId: string): Promise<UpdateOutcome> {
    try {
      const status = await this.withDeadline(OUTCOME_POLL_MS, () => this.handle(workflowId).getUpdateHandle<DeliveryStatus>(updateId).result());
      return { kind: 'completed', status };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return { kind: 'refused', reason: err.cause?.message ?? err.message };
      // Unknown to Temporal: never admitted, or dropped unaccepted when its workflow closed.
      if (err instanceof WorkflowNotFoundError)
        return { kind: 'lost', reason: 'the delivery never received the decision (it was not admitted, or the delivery closed before taking it)' };
      return { kind: 'pending' };
    }
  }

  /** The delivery ID a workflow was started for (from its memo); undefined when Temporal has no such workflow. */
  async startedFor(workflowId: string): Promise<{ deliveryId: unknown; runId: string } | undefined> {
    try {
      const description = await this.withDeadline(QUERY_TIMEOUT_MS, () => this.handle(workflowId).describe());
      const memo = (await description.memo) as { deliveryId?: unknown } | undefined;
      return { deliveryId: memo?.deliveryId, runId: description.runId };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  async isRunning(workflowId: string): Promise<boolean> {
    const description = await this.withDeadline(this.timeoutMs, () => this.handle(workflowId).describe());
    return description.status.name === 'RUNNING';
  }

  async cancel(workflowId: string): Promise<void> {
    await this.withDeadline(this.timeoutMs, () => this.handle(workflowId).cancel());
  }

  private handle(workflowId: string): WorkflowHandle {
    return this.client.workflow.getHandle(workflowId);
  }

  private withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + ms, fn);
  }
}

function describeUnavailable(err: unknown): string {
  const name = err instanceof Error ? err.constructor.name : '';
  if (name === 'WorkflowNotFoundError') return 'Temporal does not know this workflow (it may have been removed after its retention period).';
  if (name === 'QueryNotRegisteredError') return 'The workflow does not answer the status query.';
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  if (code === 4 || /deadline/i.test(String((err as Error)?.message))) return 'The workflow did not answer in time (is a worker running?).';
  if (code === 14) return 'Temporal is unavailable.';
  return 'The workflow could not answer the status query.';
}
