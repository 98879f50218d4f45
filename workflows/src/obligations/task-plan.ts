import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { addDuration, openableTasks, planProblems, TaskPlanInput, TaskPlanStatus, taskPlanStatusQuery } from '@sdo/contracts';
import { TaskBook } from './tasks';

/**
 * A plan of tasks that open as their prerequisites close: the contracted security items (a retest
 * after the penetration test, the anti-ransomware check closed by its time box), a training's
 * course plan and sessions, the PaaS lab's milestones, reviews and certification.
 */
/** A task completed while the plan was still opening others (awaiting their notices) used to be missed: the plan then waited forever. */
const WAKE_ON_OPENABLE = 'task-plan-wakes-on-openable';

export async function taskPlanWorkflow(input: TaskPlanInput): Promise<TaskPlanStatus> {
  const problems = planProblems(input.plan);
  if (problems.length) throw ApplicationFailure.nonRetryable(`The task plan cannot run: ${problems.join('; ')}`, 'InvalidTaskPlan');
  const book = new TaskBook(input.deliveryId, []);
  const status = (): TaskPlanStatus => ({
    deliveryId: input.deliveryId,
    state: book.tasks.length === input.plan.length && book.open().length === 0 ? 'completed' : 'running',
    tasks: book.tasks,
    waiting: openableTasks(input.plan, book.tasks).length ? [] : input.plan.filter((p) => !book.tasks.some((t) => t.taskId === p.taskId)).map((p) => p.taskId),
  });
  setHandler(taskPlanStatusQuery, status);
  const wakeOnOpenable = patched(WAKE_ON_OPENABLE);

  for (;;) {
    const now = new Date().toISOString();
    for (const p of openableTasks(input.plan, book.tasks)) {
      await book.add({
        taskId: p.taskId,
        kind: p.kind,
        title: p.title,
        createdAt: now,
        state: 'open',
        ...(p.timeBox ? { closesAt: addDuration(now, p.timeBox) } : {}),
      });
    }
    if (status().state === 'completed') break;
    const seen = book.changes;
    const wake = () => book.changes !== seen || (wakeOnOpenable && (openableTasks(input.plan, book.tasks).length > 0 || status().state === 'completed'));
    const boxes = book.open().flatMap((t) => (t.closesAt ? [Date.parse(t.closesAt)] : []));
    const nextBox = boxes.length ? Math.max(1, Math.min(...boxes) - Date.now()) : undefined;
    if (nextBox === undefined) await condition(wake);
    else if (!(await condition(wake, nextBox))) await book.expire(Date.now());
  }
  await condition(allHandlersFinished);
  return status();
}
