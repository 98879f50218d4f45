import { setHandler } from '@temporalio/workflow';
import { completeObligationTaskUpdate, completionProblem, ObligationTask, obligationTasksQuery, ObligationTaskCompletion } from '@sdo/contracts';
import { notify } from './notices';

/**
 * The tasks an obligation workflow holds, completed through an Update (refused, → 409, when the
 * task is not open or the completion lacks what its kind needs) and listed by a query.
 */
export class TaskBook {
  /** Bumped on every change, so a workflow can wait for one. */
  changes = 0;

  constructor(
    private readonly deliveryId: string,
    readonly tasks: ObligationTask[],
  ) {
    setHandler(obligationTasksQuery, () => this.tasks);
    setHandler(completeObligationTaskUpdate, (c) => this.complete(c), {
      validator: (c) => {
        const problem = completionProblem(this.find(c?.taskId), c);
        if (problem) throw new Error(problem);
      },
    });
  }

  open(): ObligationTask[] {
    return this.tasks.filter((t) => t.state === 'open');
  }

  async add(task: ObligationTask): Promise<void> {
    this.tasks.push(task);
    this.changes += 1;
    await notify({
      deliveryId: this.deliveryId,
      action: 'obligation.task-opened',
      actor: 'workflow',
      detail: { taskId: task.taskId, kind: task.kind, title: task.title, dueAt: task.dueAt ?? null, closesAt: task.closesAt ?? null },
    });
  }

  /** Closes the open tasks whose time box is over; returns them. */
  async expire(now: number): Promise<ObligationTask[]> {
    const over = this.open().filter((t) => t.closesAt && Date.parse(t.closesAt) <= now);
    for (const task of over) {
      task.state = 'expired';
      task.completedAt = new Date(now).toISOString();
      task.remarks = `closed by its time box (${task.closesAt})`;
      this.changes += 1;
      await notify({
        deliveryId: this.deliveryId,
        action: 'obligation.task-expired',
        actor: 'workflow',
        detail: { taskId: task.taskId, closesAt: task.closesAt ?? null },
      });
    }
    return over;
  }

  private complete(c: ObligationTaskCompletion): ObligationTask {
    const task = this.find(c.taskId)!;
    task.state = 'done';
    task.completedBy = c.completedBy;
    task.completedAt = new Date().toISOString();
    if (c.remarks !== undefined) task.remarks = c.remarks;
    if (c.score !== undefined) task.score = c.score;
    if (c.attendance !== undefined) task.attendance = c.attendance.map((a) => ({ attendee: a.attendee, present: a.present }));
    this.changes += 1;
    return task;
  }

  private find(taskId: unknown): ObligationTask | undefined {
    return this.tasks.find((t) => t.taskId === taskId);
  }
}
