import { useCallback, useEffect, useState } from 'react';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { api, type DeliveryDetail, followDelivery, must, problemOf, type Schemas, type Session } from '../api/client';
import { mayAct } from '../App';
import { useI18n } from '../i18n/i18n';
import { formatTime, Problem, ProgressBar } from './common';
import { DeliveryActions } from './DeliveryActions';

type Audit = Schemas['AuditEntryDto'];

export function temporalWorkflowUrl(session: Session, workflowId: string): string | null {
  return session.temporalUiUrl
    ? `${session.temporalUiUrl}/namespaces/${encodeURIComponent(session.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`
    : null;
}

export function DeliveryPage({ id, session }: { id: string; session: Session }) {
  const { t, m, language } = useI18n();
  const [detail, setDetail] = useState<DeliveryDetail | null>(null);
  const [audit, setAudit] = useState<Audit[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [report, setReport] = useState<{ id: string; markdown: string } | null>(null);

  const reload = useCallback(async () => {
    try {
      setDetail(await must(api.GET('/v1/deliveries/{id}', { params: { path: { id } } })));
    } catch (err) {
      setProblem(err);
    }
  }, [id]);

  useEffect(() => {
    void reload();
    return followDelivery(id, setDetail);
  }, [id, reload]);

  const auditKey = detail ? `${detail.phase}/${detail.step}/${detail.awaiting}/${detail.live?.events.length ?? 0}` : '';
  useEffect(() => {
    if (!auditKey) return;
    must(api.GET('/v1/deliveries/{id}/audit', { params: { path: { id } } })).then(setAudit, () => undefined);
  }, [id, auditKey]);

  const openReport = async (reportId: string) => {
    // Markdown is not JSON: read as text (openapi-fetch would parse it).
    const { data, response, error } = await api.GET('/v1/deliveries/{id}/reports/{reportId}', {
      params: { path: { id, reportId }, query: { format: 'markdown' } },
      parseAs: 'text',
    });
    if (!response.ok) return setProblem(problemOf(response, error));
    setReport({ id: reportId, markdown: data ?? '' });
  };

  if (!detail) {
    return problem ? <Problem problem={problem} /> : <p>{t('loading')}</p>;
  }
  const live = detail.live;
  const now = live ?? detail;
  const awaiting = live ? live.awaiting : detail.awaiting;
  const temporal = temporalWorkflowUrl(session, detail.workflowId);
  const plans = live?.plans ?? [];

  return (
    <article className="delivery">
      <h1>
        {t('delivery')} {detail.orderNo} <span className="muted">· {detail.serviceName}</span>
      </h1>
      <p className="muted">
        {t('customer')}: {detail.customerId} · <code>{detail.workflowId}</code>
        {temporal && (
          <>
            {' · '}
            <a href={temporal} target="_blank" rel="noreferrer noopener">
              {t('temporalLink')}
            </a>
          </>
        )}
      </p>
      <section className="card status" aria-label={t('progress')}>
        <div>
          <strong>{t('phase')}:</strong> <span data-testid="phase">{m.phaseName[now.phase]}</span> · <strong>{t('step')}:</strong>{' '}
          <span data-testid="step">{now.step}</span>
        </div>
        <ProgressBar value={now.progress} label={t('progress')} />
        <div data-testid="gate">
          {awaiting ? (
            <>
              <strong>{t('waitingGate')}:</strong> {m.gate[awaiting]} · <strong>{t('waitsFor')}:</strong> {m.gateWho[awaiting]}
              {live && live.reminders > 0 && <span className="badge">{t('reminders', { n: live.reminders })}</span>}
              {live?.escalated && <span className="badge warn">{t('escalated')}</span>}
            </>
          ) : (
            t('notWaiting')
          )}
        </div>
        {live?.lastFailure && (
          <p className="problem" role="status">
            {live.lastFailure.type}: {live.lastFailure.message}
          </p>
        )}
        {detail.liveUnavailable && <p className="muted">{t('liveUnavailable', { reason: detail.liveUnavailable })}</p>}
        {detail.liveAsOf && <p className="muted">{t('liveAsOf', { at: formatTime(detail.liveAsOf, language) })}</p>}
        {detail.pendingDecisions.length > 0 && <p>{t('pendingDecisions', { n: detail.pendingDecisions.length })}</p>}
      </section>
      <Problem problem={problem} />

      {mayAct(session) && <DeliveryActions detail={detail} onChanged={reload} />}

      <section>
        <h2>{t('planRevisions')}</h2>
        <div className="revisions">
          {plans.map((p) => (
            <div key={p.revision} className={`card revision ${p.status}`} data-revision={p.revision}>
              <h3>
                {t('revision', { n: p.revision })} <span className={`badge ${p.status}`}>{p.status}</span>
              </h3>
              <p>{p.summary}</p>
              {p.decidedBy && (
                <p>
                  {t('actor')}: {p.decidedBy}
                </p>
              )}
              {p.comment && <blockquote>{p.comment}</blockquote>}
              {p.confirmationRequired && <p className="warn">{p.confirmationRequired.summary}</p>}
              <button type="button" className="link" onClick={() => void openReport(p.reportId)}>
                {t('reports')}: {t('revision', { n: p.revision })}
              </button>
            </div>
          ))}
        </div>
      </section>

      <section>
        <h2>{t('reports')}</h2>
        <ul className="reports">
          {(live?.reports ?? []).map((r) => (
            <li key={r.reportId}>
              <button type="button" className="link" data-report-kind={r.kind} onClick={() => void openReport(r.reportId)}>
                {r.kind}
              </button>{' '}
              — {r.summary}
            </li>
          ))}
        </ul>
        {report && (
          <div className="card report markdown" data-report={report.id}>
            <Markdown remarkPlugins={[remarkGfm]}>{report.markdown}</Markdown>
          </div>
        )}
      </section>

      <section>
        <h2>{t('timeline')}</h2>
        <ol className="timeline">
          {(live?.events ?? []).map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatTime(e.at, language)}</time> <span className="badge">{m.phaseName[e.phase]}</span> {e.note}
            </li>
          ))}
        </ol>
      </section>

      <section>
        <h2>{t('audit')}</h2>
        <table className="audit">
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('actor')}</th>
              <th scope="col">{t('action')}</th>
              <th scope="col">{t('details')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((a) => (
              <tr key={a.id}>
                <td>{formatTime(a.at, language)}</td>
                <td>{a.actor}</td>
                <td>
                  <code>{a.action}</code>
                </td>
                <td>
                  <code className="detail">{JSON.stringify(a.detail)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
