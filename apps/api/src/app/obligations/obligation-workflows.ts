import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { QueryDefinition, UpdateDefinition, WorkflowNotFoundError } from '@temporalio/common';
import { ApiOptions, DEFAULT_API_OPTIONS } from '../infrastructure/api-options';
import { API_OPTIONS } from '../infrastructure/tokens';

/** Temporal I/O of a delivery's obligation workflows (subscription, cases, recurring service, task plan); every call carries a deadline. */
@Injectable()
export class ObligationWorkflows {
  private readonly timeoutMs: number;

  constructor(
    private readonly client: Client,
    @Inject(Connection) private readonly connection: Connection,
    @Inject(API_OPTIONS) options: ApiOptions,
  ) {
    this.timeoutMs = options.temporalTimeoutMs ?? DEFAULT_API_OPTIONS.temporalTimeoutMs;
  }

  async query<R>(workflowId: string, query: QueryDefinition<R, []>): Promise<R> {
    const handle = this.client.workflow.getHandle(workflowId);
    try {
      return await this.connection.withDeadline(Date.now() + this.timeoutMs, () => handle.query(query));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
      await this.refuseIfClosed(handle);
      throw err;
    }
  }

  /**
   * Throws WorkflowNotFoundError unless a workflow of this ID (and type) exists. Asks the server,
   * not a worker: an action is recorded and sent (202 when no worker takes it) even while none runs.
   */
  async exists(workflowId: string, ...workflowTypes: string[]): Promise<void> {
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await this.connection.withDeadline(Date.now() + this.timeoutMs, () => handle.describe());
    if (!workflowTypes.includes(description.type)) throw new WorkflowNotFoundError(`${workflowId} is a ${description.type}`, workflowId, undefined);
  }

  /** The validator's refusal surfaces as WorkflowUpdateFailedError (→ 409); an unknown workflow as WorkflowNotFoundError. */
  async update<R, A>(workflowId: string, update: UpdateDefinition<R, [A]>, arg: A, updateId: string): Promise<R> {
    const handle = this.client.workflow.getHandle(workflowId);
    try {
      return await this.connection.withDeadline(Date.now() + this.timeoutMs, () => handle.executeUpdate(update, { args: [arg], updateId }));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw err;
      // An Update that reaches a case as it closes fails with whatever the closing produced: a closed case takes no more steps (409).
      await this.refuseIfClosed(handle);
      throw err;
    }
  }

  /** A query or Update that fails on a case or obligation that has closed (or is closing) is a 409, not a 500. */
  private async refuseIfClosed(handle: ReturnType<Client['workflow']['getHandle']>): Promise<void> {
    const closed = await this.connection
      .withDeadline(Date.now() + this.timeoutMs, () => handle.describe())
      .then((d) => d.status.name !== 'RUNNING')
      .catch(() => false);
    if (closed) throw new ConflictException({ message: 'This case or obligation is closed: it takes no more steps.' });
  }
}
