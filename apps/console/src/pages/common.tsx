import { isProblem } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** A refusal exactly as the API words it (message, then each field and reason). */
export function Problem({ problem }: { problem: unknown }) {
  const { t } = useI18n();
  if (!problem) return null;
  const p = isProblem(problem) ? problem : { status: 0, message: problem instanceof Error ? problem.message : String(problem) };
  return (
    <div role="alert" className="problem">
      <p>{t('refused', { status: p.status, message: p.message })}</p>
      {'details' in p && p.details?.length ? (
        <ul>
          {p.details.map((d, i) => (
            <li key={i}>
              <code>{d.field}</code>: {d.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div className="progress">
      <progress max={100} value={value} aria-label={label}>
        {value}%
      </progress>
      <span className="progress-value">{value}%</span>
    </div>
  );
}

export function formatTime(iso: string | undefined | null, language: string, timeZone?: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(
    new Date(iso),
  );
}

/** Time zones offered for the cutover window: the customers' (China first), then the browser's and UTC. */
export const TIME_ZONES = Array.from(
  new Set([
    'Asia/Shanghai',
    'Asia/Hong_Kong',
    'Asia/Taipei',
    'Asia/Singapore',
    'Asia/Tokyo',
    Intl.DateTimeFormat().resolvedOptions().timeZone,
    'Europe/Berlin',
    'UTC',
  ]),
);

/** The offset (e.g. +08:00) a time zone has at a given wall-clock time. */
function offsetAt(timeZone: string, wallClock: string): string {
  const guess = new Date(`${wallClock}:00Z`);
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(guess).find((p) => p.type === 'timeZoneName');
  const offset = part?.value.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

/** `2026-12-05T22:00` in `Asia/Shanghai` → `2026-12-05T22:00:00+08:00`: an instant with the customer's offset, as the API wants it. */
export function zonedInstant(wallClock: string, timeZone: string): string {
  return `${wallClock}:00${offsetAt(timeZone, wallClock)}`;
}

/** An instant as the wall-clock value of a datetime-local input in a time zone. */
export function wallClockIn(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`;
}
