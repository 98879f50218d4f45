import { DeliveryError, DeliveryFailureType, PhaseReportRef, PlanConfirmation } from '@sdo/contracts';
import type { ReportStore } from '@sdo/persistence';

/**
 * The failure of an assessment whose findings were saved: the report rides along (first detail),
 * so the delivery lists it while it waits for the manager, or after it failed.
 */
export function assessmentFailure(type: DeliveryFailureType, message: string, report: PhaseReportRef): DeliveryError {
  return new DeliveryError(type, message, { report: { kind: report.kind, reportId: report.reportId, summary: report.summary } });
}

export interface ReportTrail {
  /** The delivery's reports in the order given: what an acceptance report recounts. */
  trail: { kind: string; revision: number; summary: string }[];
  /** The latest cutover report of the trail, if any. */
  cutover?: { kind: string; revision: number; summary: string };
}

export async function reportTrail(reports: Pick<ReportStore, 'get'>, reportIds: string[]): Promise<ReportTrail> {
  const found = await Promise.all(reportIds.map((id) => reports.get(id)));
  const trail = found.filter((r): r is NonNullable<typeof r> => !!r).map((r) => ({ kind: r.kind, revision: r.revision, summary: r.summary }));
  return { trail, cutover: [...trail].reverse().find((r) => r.kind === 'cutover') };
}

/**
 * Saves the rehearsal report of plan revision `f.revision`: passed (saying what it did) unless a
 * failure is given; the scratch database it ran in is dropped after the report.
 */
export async function saveRehearsalReport(
  reports: Pick<ReportStore, 'save'>,
  facts: { deliveryId: string; revision: number; scratchDatabase: string; durationMs: number },
  verdict: { failure?: string; done: string },
  body: Record<string, unknown>,
) {
  const { failure } = verdict;
  const passed = failure === undefined;
  const summary = passed
    ? `Rehearsal of plan revision ${facts.revision} passed: ${verdict.done}`
    : `Rehearsal of plan revision ${facts.revision} failed: ${failure}`;
  const saved = await reports.save({
    deliveryId: facts.deliveryId,
    kind: 'rehearsal',
    revision: facts.revision,
    summary,
    body: {
      revision: facts.revision,
      scratchDatabase: `${facts.scratchDatabase} (dropped after this report)`,
      passed,
      failure: failure ?? null,
      durationMs: facts.durationMs,
      ...body,
    },
  });
  return { ...saved, passed, failure };
}

/** Saves plan revision `request.revision`: every plan says which revision it is and which feedback it answers. */
export function savePlanReport(
  reports: Pick<ReportStore, 'save'>,
  request: { deliveryId: string; revision: number; feedback?: string },
  summary: string,
  body: Record<string, unknown>,
) {
  return reports.save({
    deliveryId: request.deliveryId,
    kind: 'plan',
    revision: request.revision,
    summary,
    body: { revision: request.revision, respondsTo: request.feedback ?? null, ...body },
  });
}

/** How many dependent objects a plan version names itself; its report lists all of them. */
const CONFIRMATION_NAMES = 10;

/** What a plan that does not create `dependents` asks the manager to confirm (none: nothing to confirm). */
export function dependentsConfirmation(dependents: string[]): PlanConfirmation | undefined {
  if (!dependents.length) return undefined;
  const summary =
    dependents.length <= CONFIRMATION_NAMES
      ? dependents.join('; ')
      : `${dependents.slice(0, CONFIRMATION_NAMES).join('; ')}; and ${dependents.length - CONFIRMATION_NAMES} more`;
  return { dependents: dependents.length, summary };
}
