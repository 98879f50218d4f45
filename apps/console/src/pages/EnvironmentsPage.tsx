import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, must, type Schemas, type Session } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Problem } from './common';

type Environment = Schemas['EnvironmentViewDto'];
type Check = Schemas['EnvironmentCheckDto'];
type Engine = Schemas['RegisterEnvironmentDto']['engine'];

const EMPTY = { customerId: '', name: '', engine: 'postgres' as Engine, host: '', port: '', database: '', username: '', password: '' };

export function EnvironmentsPage({ session }: { session: Session }) {
  const { t } = useI18n();
  const [environments, setEnvironments] = useState<Environment[]>([]);
  const [form, setForm] = useState({ ...EMPTY, customerId: session.customerId ?? '' });
  const [problem, setProblem] = useState<unknown>(null);
  const [registered, setRegistered] = useState<string | null>(null);
  const [checks, setChecks] = useState<Record<string, Check | { problem: unknown }>>({});

  const load = useCallback(
    () => must(api.GET('/v1/environments', { params: { query: { limit: 100 } } })).then((p) => setEnvironments(p.items), setProblem),
    [],
  );
  useEffect(() => void load(), [load]);

  const register = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setRegistered(null);
    try {
      const body: Schemas['RegisterEnvironmentDto'] = {
        customerId: form.customerId.trim(),
        name: form.name.trim(),
        engine: form.engine,
        database: form.database,
        ssl: false,
        ...(form.engine !== 'sqlite' && form.host ? { host: form.host.trim() } : {}),
        ...(form.engine !== 'sqlite' && form.port ? { port: Number(form.port) } : {}),
        ...(form.engine !== 'sqlite' && form.username ? { username: form.username } : {}),
        ...(form.engine !== 'sqlite' && form.password ? { password: form.password } : {}),
      };
      const environment = await must(api.POST('/v1/environments', { body }));
      setRegistered(environment.name);
      // The password is sent once and forgotten: the form never shows it again.
      setForm({ ...EMPTY, customerId: session.customerId ?? '' });
      await load();
    } catch (err) {
      setProblem(err);
      setForm((f) => ({ ...f, password: '' }));
    }
  };

  const check = async (id: string) => {
    try {
      const result = await must(api.POST('/v1/environments/{id}/check', { params: { path: { id } } }));
      setChecks((c) => ({ ...c, [id]: result }));
    } catch (err) {
      setChecks((c) => ({ ...c, [id]: { problem: err } }));
    }
  };

  const field = (key: keyof typeof EMPTY, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={form[key]}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        disabled={key === 'customerId' && Boolean(session.customerId)}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );

  return (
    <section>
      <h1>{t('environments')}</h1>
      <table className="environments">
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('customer')}</th>
            <th scope="col">{t('engine')}</th>
            <th scope="col">{t('host')}</th>
            <th scope="col">{t('database')}</th>
            <th scope="col">{t('check')}</th>
          </tr>
        </thead>
        <tbody>
          {environments.map((env) => {
            const result = checks[env.id];
            return (
              <tr key={env.id} data-environment={env.name}>
                <td>{env.name}</td>
                <td>{env.customerId}</td>
                <td>{env.engine}</td>
                <td>{env.host ? `${env.host}:${env.port ?? ''}` : ''}</td>
                <td>{env.database}</td>
                <td>
                  {session.role !== 'viewer' && (
                    <button type="button" onClick={() => void check(env.id)}>
                      {t('check')}
                    </button>
                  )}
                  {result && 'problem' in result && <Problem problem={result.problem} />}
                  {result && 'reachable' in result && (
                    <div role="status">
                      {result.reachable
                        ? t('reachable', { engine: result.engine, version: result.version ?? '' })
                        : t('unreachable', { reason: result.problem ?? '' })}
                      {result.reachable &&
                        (result.missing.length ? <div>{t('missingRights', { rights: result.missing.join(', ') })}</div> : <div>{t('allRights')}</div>)}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {session.role === 'admin' && (
        <form className="card" onSubmit={(e) => void register(e)} aria-label={t('registerEnvironment')}>
          <h2>{t('registerEnvironment')}</h2>
          {field('customerId', t('customer'))}
          {field('name', t('name'))}
          <label>
            {t('engine')}
            <select value={form.engine} onChange={(e) => setForm({ ...form, engine: e.target.value as Engine })}>
              <option value="postgres">PostgreSQL</option>
              <option value="mysql">MySQL / MariaDB</option>
              <option value="sqlite">SQLite</option>
            </select>
          </label>
          {form.engine !== 'sqlite' && field('host', t('host'))}
          {form.engine !== 'sqlite' && field('port', t('port'), 'number')}
          {field('database', t('database'))}
          {form.engine !== 'sqlite' && field('username', t('username'))}
          {form.engine !== 'sqlite' && field('password', t('password'), 'password')}
          <p className="hint">{t('passwordNeverShown')}</p>
          <button type="submit">{t('register')}</button>
          {registered && <p role="status">{t('registered', { name: registered })}</p>}
          <Problem problem={problem} />
        </form>
      )}
    </section>
  );
}
