import type { Schemas } from './api/client';

type Task = Pick<Schemas['TaskViewDto'], 'overdue' | 'dueAt'>;

/** Overdue first, then the nearest due date; tasks without one last. */
export function inboxOrder(a: Task, b: Task): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const due = (t: Task) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  const [x, y] = [due(a), due(b)];
  return x === y ? 0 : x < y ? -1 : 1;
}
