import type { ReportStore } from '@sdo/persistence';

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
