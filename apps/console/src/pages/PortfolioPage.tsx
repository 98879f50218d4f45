import { useEffect, useMemo, useState } from 'react';
import { useCatalog } from '../api/catalog';
import { api, type Delivery, followDelivery, must, type Session } from '../api/client';
import type { paths } from '../api/sdo-api';
import { useI18n } from '../i18n/i18n';
import { isOverdue } from '../overdue';
import { hrefOf } from '../router';
import { formatTime, Problem, ProgressBar } from './common';

const PHASES = ['assessment', 'contract', 'plan', 'test', 'cutover', 'acceptance', 'completed', 'cancelled', 'failed'] as const;
const GATES = ['assessmentBlocked', 'contractSignature', 'planApproval', 'cutoverWindow', 'acceptance'] as const;
const TERMINAL = ['completed', 'cancelled', 'failed'];
/** Live streams at once: browsers open six connections per server, the rest of the page needs some. */
const MAX_STREAMS = 3;

type Query = NonNullable<paths['/v1/deliveries']['get']['parameters']['query']>;

export function PortfolioPage({ session }: { session: Session }) {
  const { t, m, language } = useI18n();
  const [filter, setFilter] = useState<{ serviceType: string; customerId: string; phase: string; awaiting: string; overdue: boolean }>({
    serviceType: '',
    customerId: '',
    phase: '',
    awaiting: '',
    overdue: false,
  });
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [live, setLive] = useState<Record<string, Pick<Delivery, 'phase' | 'step' | 'progress' | 'awaiting'>>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const { services, serviceName } = useCatalog(setProblem);

  useEffect(() => {
    let stopped = false;
    const query: Query = { limit: 100 };
    if (filter.serviceType) query.serviceType = filter.serviceType as Query['serviceType'];
    if (filter.customerId.trim()) query.customerId = filter.customerId.trim();
    if (filter.phase) query.phase = filter.phase as Query['phase'];
    if (filter.awaiting) query.awaiting = filter.awaiting as Query['awaiting'];
    // The list is polled; deliveries that are moving are also followed live (below).
    const load = () =>
      must(api.GET('/v1/deliveries', { params: { query } })).then(
        (page) => !stopped && (setDeliveries(page.items), setProblem(null)),
        (err: unknown) => !stopped && setProblem(err),
      );
    void load();
    const timer = window.setInterval(() => void load(), 5000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [filter.serviceType, filter.customerId, filter.phase, filter.awaiting]);

  const moving = useMemo(
    () =>
      (deliveries ?? [])
        .filter((d) => !TERMINAL.includes(d.phase) && !d.awaiting)
        .slice(0, MAX_STREAMS)
        .map((d) => d.id),
    [deliveries],
  );
  const movingKey = moving.join(',');
  useEffect(() => {
    const stops = moving.map((id) =>
      followDelivery(id, (d) => {
        const now = d.live ?? d;
        setLive((prev) => ({ ...prev, [id]: { phase: now.phase, step: now.step, progress: now.progress, awaiting: now.awaiting ?? null } }));
      }),
    );
    return () => stops.forEach((stop) => stop());
  }, [movingKey]);

  const shown = (deliveries ?? []).map((d) => ({ ...d, ...live[d.id] })).filter((d) => !filter.overdue || isOverdue(d));

  return (
    <section>
      <h1>{t('portfolio')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('portfolio')}>
        <label>
          {t('product')}
          <select value={filter.serviceType} onChange={(e) => setFilter({ ...filter, serviceType: e.target.value })}>
            <option value="">{t('any')}</option>
            {services.map((s) => (
              <option key={s.code} value={s.code}>
                {serviceName(s.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('customer')}
          <input
            value={session.customerId ?? filter.customerId}
            disabled={Boolean(session.customerId)}
            onChange={(e) => setFilter({ ...filter, customerId: e.target.value })}
          />
        </label>
        <label>
          {t('phase')}
          <select value={filter.phase} onChange={(e) => setFilter({ ...filter, phase: e.target.value })}>
            <option value="">{t('any')}</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {m.phaseName[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('waitingGate')}
          <select value={filter.awaiting} onChange={(e) => setFilter({ ...filter, awaiting: e.target.value })}>
            <option value="">{t('any')}</option>
            {GATES.map((g) => (
              <option key={g} value={g}>
                {m.gate[g]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={filter.overdue} onChange={(e) => setFilter({ ...filter, overdue: e.target.checked })} />
          {t('overdueOnly')}
        </label>
      </form>
      <Problem problem={problem} />
      {deliveries === null ? (
        <p>{t('loading')}</p>
      ) : shown.length === 0 ? (
        <p>{t('noDeliveries')}</p>
      ) : (
        <table className="deliveries">
          <thead>
            <tr>
              <th scope="col">{t('order')}</th>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('phase')}</th>
              <th scope="col">{t('step')}</th>
              <th scope="col">{t('waitingGate')}</th>
              <th scope="col">{t('progress')}</th>
              <th scope="col">{t('updated')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id} data-delivery={d.id} className={isOverdue(d) ? 'overdue' : undefined}>
                <td>
                  <a href={hrefOf({ page: 'delivery', id: d.id })}>{d.orderNo}</a>
                  {isOverdue(d) && <span className="badge warn">{t('overdue')}</span>}
                </td>
                <td>{serviceName(d.serviceType)}</td>
                <td>{d.customerId}</td>
                <td>{m.phaseName[d.phase]}</td>
                <td>{d.step}</td>
                <td>{d.awaiting ? m.gate[d.awaiting] : ''}</td>
                <td>
                  <ProgressBar value={d.progress} label={`${t('progress')} ${d.orderNo}`} />
                </td>
                <td>{formatTime(d.updatedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
