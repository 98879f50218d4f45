import type { ReportKind } from '@sdo/contracts';

export interface RenderableReport {
  kind: ReportKind | string;
  revision: number;
  summary: string;
  body: Record<string, unknown>;
  createdAt: Date;
}

export interface ReportContext {
  serviceName: string;
  customerId: string;
  orderNo: string;
}

const KIND_TITLES: Record<string, string> = {
  assessment: '评估报告 Assessment report',
  plan: '实施方案 Delivery plan',
  rehearsal: '测试报告 Rehearsal report',
  cutover: '正式交付报告 Cutover report',
  acceptance: '验收报告 Acceptance report',
};

/** `plannedScripts` → `Planned scripts`. */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function cell(value: unknown): string {
  return scalar(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => !isPlainObject(v) && !Array.isArray(v);

function table(rows: Record<string, unknown>[]): string[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [
    `| ${columns.map(humanise).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(' | ')} |`),
  ];
}

function section(value: Record<string, unknown>, depth: number): string[] {
  const lines: string[] = [];
  const scalars = Object.entries(value).filter(([, v]) => isScalar(v));
  if (scalars.length) {
    lines.push('| | |', '| --- | --- |', ...scalars.map(([k, v]) => `| ${humanise(k)} | ${cell(v)} |`), '');
  }
  for (const [key, v] of Object.entries(value)) {
    if (isScalar(v)) continue;
    const heading = `${'#'.repeat(Math.min(depth, 6))} ${humanise(key)}`;
    if (Array.isArray(v)) {
      lines.push(heading, '');
      if (v.length === 0) lines.push('None.', '');
      else if (v.every(isPlainObject)) lines.push(...table(v as Record<string, unknown>[]), '');
      else lines.push(...v.map((item) => `- ${scalar(item)}`), '');
    } else {
      lines.push(heading, '', ...section(v as Record<string, unknown>, depth + 1));
    }
  }
  return lines;
}

/**
 * A customer-readable rendering of a report: title, the delivery it belongs to, the summary,
 * then the body as tables (scalar fields as a two-column table, lists of records as tables,
 * nested records as sub-sections). Generic on purpose: each service's activities shape their bodies.
 */
export function renderReportMarkdown(report: RenderableReport, context: ReportContext): string {
  const title = KIND_TITLES[report.kind] ?? humanise(String(report.kind));
  const lines = [
    `# ${title}${report.revision > 1 ? ` (revision ${report.revision})` : ''}`,
    '',
    `**${context.serviceName}** · customer ${context.customerId} · order ${context.orderNo} · ${report.createdAt.toISOString()}`,
    '',
    `> ${report.summary.replace(/\r?\n/g, ' ')}`,
    '',
    ...section(report.body, 2),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
