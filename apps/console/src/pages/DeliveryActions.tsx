import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, type DeliveryDetail, must } from '../api/client';
import { type MessageKey, useI18n } from '../i18n/i18n';
import { browserTimeZone, isSkippedWallClock, wallClockIn, zonedInstant } from '../time';
import { Problem, SkippedWallClock } from './common';

const TERMINAL = ['completed', 'cancelled', 'failed'];

/** One action: a form whose submit calls the API and shows its answer (a refusal as the API words it). */
function ActionForm({
  title,
  children,
  submit,
  label,
  danger,
  blocked,
}: {
  title?: MessageKey;
  children?: ReactNode;
  submit: () => Promise<unknown>;
  label: string;
  danger?: boolean;
  /** Refused before it reaches the API (the form says why). */
  blocked?: boolean;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true } | { problem: unknown } | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (blocked) return;
    setBusy(true);
    setOutcome(null);
    try {
      await submit();
      setOutcome({ ok: true });
    } catch (err) {
      setOutcome({ problem: err });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={title ? 'card action' : 'action'} onSubmit={(e) => void onSubmit(e)} aria-label={title ? t(title) : label}>
      {title && <h3>{t(title)}</h3>}
      {children}
      <button type="submit" disabled={busy || blocked} className={danger ? 'danger' : undefined}>
        {label}
      </button>
      {outcome && 'ok' in outcome && <p role="status">{t('done')}</p>}
      {outcome && 'problem' in outcome && <Problem problem={outcome.problem} />}
    </form>
  );
}

export function DeliveryActions({ detail, onChanged }: { detail: DeliveryDetail; onChanged: () => Promise<void> }) {
  const { t, m } = useI18n();
  const id = detail.id;
  const live = detail.live;
  const awaiting = live?.awaiting;
  const proposed = live?.plans.filter((p) => p.status === 'proposed').at(-1);
  const latest = proposed ?? live?.plans.at(-1);
  const [contractRef, setContractRef] = useState('');
  const [planComment, setPlanComment] = useState('');
  const [confirmDependents, setConfirmDependents] = useState(false);
  // Catalog flows have no cutover window: the picker then starts from now, an hour long.
  const cutover = live?.cutoverWindow ?? detail.cutoverWindow ?? { startsAt: new Date().toISOString(), durationMinutes: 60 };
  // Shown and picked in the customer's time zone; sent as an instant with its offset.
  const timeZone = detail.customerTimeZone ?? browserTimeZone();
  const [startsAt, setStartsAt] = useState(() => wallClockIn(cutover.startsAt, timeZone));
  const skipped = isSkippedWallClock(startsAt, timeZone);
  const [duration, setDuration] = useState(String(cutover.durationMinutes));
  const [acceptComment, setAcceptComment] = useState('');
  const [rejectReason, setRejectReason] = useState('');
  const [reopen, setReopen] = useState<'plan' | 'test' | 'cutover'>('test');
  const [cancelReason, setCancelReason] = useState('');
  // A new revision is a new decision: the last one's comment and confirmation do not carry over.
  useEffect(() => {
    setPlanComment('');
    setConfirmDependents(false);
  }, [latest?.revision]);
  const path = { params: { path: { id } } };
  const after = async <T,>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => {
    try {
      return await must(call);
    } finally {
      await onChanged();
    }
  };

  if (TERMINAL.includes(detail.phase) || (live && TERMINAL.includes(live.phase))) return null;
  return (
    <section aria-label={t('actions')}>
      <h2>{t('actions')}</h2>
      <div className="actions">
        {awaiting === 'contractSignature' && (
          <ActionForm
            title="signContract"
            label={t('signContract')}
            submit={() => after(api.POST('/v1/deliveries/{id}/contract-signature', { ...path, body: { contractRef } }))}
          >
            <label>
              {t('contractRef')}
              <input value={contractRef} onChange={(e) => setContractRef(e.target.value)} />
            </label>
          </ActionForm>
        )}
        {awaiting === 'planApproval' && latest && (
          <div className="card action">
            <h3>{m.gate.planApproval}</h3>
            <label>
              {t('comment')}
              <textarea value={planComment} onChange={(e) => setPlanComment(e.target.value)} />
            </label>
            {latest.confirmationRequired && (
              <label className="inline">
                <input type="checkbox" checked={confirmDependents} onChange={(e) => setConfirmDependents(e.target.checked)} />
                {t('confirmDependents', { n: latest.confirmationRequired.dependents })}
              </label>
            )}
            <ActionForm
              label={t('approvePlan', { n: latest.revision })}
              submit={() =>
                after(
                  api.POST('/v1/deliveries/{id}/plan-approval', {
                    ...path,
                    body: { revision: latest.revision, ...(planComment ? { comment: planComment } : {}), ...(confirmDependents ? { confirmDependents } : {}) },
                  }),
                )
              }
            />
            <ActionForm
              danger
              label={t('rejectPlan', { n: latest.revision })}
              submit={() => after(api.POST('/v1/deliveries/{id}/plan-rejection', { ...path, body: { revision: latest.revision, comment: planComment } }))}
            />
          </div>
        )}
        {live && ['assessment', 'contract', 'plan', 'test', 'cutover'].includes(live.phase) && (
          <ActionForm
            title="cutoverWindow"
            label={t('moveWindow')}
            blocked={skipped}
            submit={() =>
              after(
                api.PUT('/v1/deliveries/{id}/cutover-window', {
                  ...path,
                  body: { startsAt: zonedInstant(startsAt, timeZone), ...(duration ? { durationMinutes: Number(duration) } : {}) },
                }),
              )
            }
          >
            <label>
              {t('startsAt')}
              <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
              <span className="hint" data-testid="window-time-zone">
                {detail.customerTimeZone ? t('inCustomerTimeZone', { zone: timeZone }) : t('inBrowserTimeZone', { zone: timeZone })}
              </span>
            </label>
            {skipped && <SkippedWallClock wallClock={startsAt} timeZone={timeZone} />}
            <label>
              {t('durationMinutes')}
              <input type="number" min={1} max={10080} value={duration} onChange={(e) => setDuration(e.target.value)} />
            </label>
          </ActionForm>
        )}
        {awaiting === 'acceptance' && (
          <>
            <ActionForm
              title="confirmAcceptance"
              label={t('confirmAcceptance')}
              submit={() => after(api.POST('/v1/deliveries/{id}/acceptance-confirmation', { ...path, body: acceptComment ? { comment: acceptComment } : {} }))}
            >
              <label>
                {t('comment')}
                <input value={acceptComment} onChange={(e) => setAcceptComment(e.target.value)} />
              </label>
            </ActionForm>
            <ActionForm
              title="rejectAcceptance"
              danger
              label={t('rejectAcceptance')}
              submit={() => after(api.POST('/v1/deliveries/{id}/acceptance-rejection', { ...path, body: { reason: rejectReason, reopen } }))}
            >
              <label>
                {t('reason')}
                <input value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />
              </label>
              <label>
                {t('reopen')}
                <select value={reopen} onChange={(e) => setReopen(e.target.value as typeof reopen)}>
                  {(['plan', 'test', 'cutover'] as const).map((p) => (
                    <option key={p} value={p}>
                      {m.phaseName[p]}
                    </option>
                  ))}
                </select>
              </label>
            </ActionForm>
          </>
        )}
        <ActionForm
          title="cancel"
          danger
          label={t('cancel')}
          submit={() => after(api.POST('/v1/deliveries/{id}/cancellation', { ...path, body: { reason: cancelReason } }))}
        >
          <label>
            {t('reason')}
            <input value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />
          </label>
        </ActionForm>
      </div>
    </section>
  );
}
