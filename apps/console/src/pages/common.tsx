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

/** A wall clock the switch to summer time skips in the customer's zone: refused, never shifted silently. */
export function SkippedWallClock({ wallClock, timeZone }: { wallClock: string; timeZone: string }) {
  const { t } = useI18n();
  return (
    <p role="alert" className="problem">
      {t('skippedWallClock', { time: wallClock.replace('T', ' '), zone: timeZone })}
    </p>
  );
}
