import type { Delivery } from './api/client';

const TERMINAL = ['completed', 'cancelled', 'failed'];
const BEFORE_CUTOVER = ['assessment', 'contract', 'plan', 'test'];
/** Gates remind after a day by default (SDO_GATE_REMINDER_EVERY): a gate waiting longer is overdue. */
export const GATE_OVERDUE_MS = 24 * 3_600_000;

/** Waiting at a gate for longer than a reminder interval, or the cutover window has opened before the delivery is ready. */
export function isOverdue(d: Pick<Delivery, 'phase' | 'awaiting' | 'updatedAt' | 'cutoverWindow'>, now = Date.now()): boolean {
  if (TERMINAL.includes(d.phase)) return false;
  if (d.awaiting && now - new Date(d.updatedAt).getTime() > GATE_OVERDUE_MS) return true;
  // Catalog flows (human tasks) have no cutover window.
  return !!d.cutoverWindow && BEFORE_CUTOVER.includes(d.phase) && new Date(d.cutoverWindow.startsAt).getTime() < now;
}
