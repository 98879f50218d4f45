import { DeliveryStatus, TERMINAL_PHASES } from '@sdo/contracts';

/**
 * The live statuses this API process read lately, each with the version of the delivery's row it
 * was read against (`updated_at`, which the workflow's every state record moves). A read reuses one
 * while the row is unchanged and it is younger than `maxAgeMs`, instead of sending the workflow a
 * query: 50 managers reading once a second were 50 query tasks a second for the worker.
 *
 * What a manager acts on — phase, step, the gate awaited, failures — is recorded by the workflow
 * before it waits, so it is never served stale; reminder counts and copy progress lag at most
 * `maxAgeMs`. A closed delivery's status no longer changes: it is kept until its row changes.
 */
export class LiveStatusCache {
  private readonly entries = new Map<string, { version: number; at: number; status: DeliveryStatus }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(workflowId: string, version: Date): DeliveryStatus | undefined {
    const entry = this.entries.get(workflowId);
    if (!entry || entry.version !== version.getTime()) return undefined;
    if (this.now() - entry.at >= this.maxAgeMs && !TERMINAL_PHASES.includes(entry.status.phase)) return undefined;
    return entry.status;
  }

  /**
   * The last answer for this version of the row, however old: what a read shows (with its time)
   * when the workflow does not answer in time. Nothing the workflow records has changed since.
   */
  lastAnswer(workflowId: string, version: Date): { status: DeliveryStatus; at: Date } | undefined {
    const entry = this.entries.get(workflowId);
    return entry && entry.version === version.getTime() ? { status: entry.status, at: new Date(entry.at) } : undefined;
  }

  remember(workflowId: string, version: Date, status: DeliveryStatus): void {
    if (this.maxAgeMs <= 0) return;
    this.entries.delete(workflowId);
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(workflowId, { version: version.getTime(), at: this.now(), status });
  }

  /** A decision was sent to the workflow: its next read asks it. */
  forget(workflowId: string): void {
    this.entries.delete(workflowId);
  }
}
