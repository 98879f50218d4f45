import { useCallback, useEffect, useState } from 'react';
import { api, isProblem, must, type Session } from './api/client';
import { signIn } from './auth/session';
import { type Language, useI18n } from './i18n/i18n';
import { DeliveryPage } from './pages/DeliveryPage';
import { EnvironmentsPage } from './pages/EnvironmentsPage';
import { PortfolioPage } from './pages/PortfolioPage';
import { SignInPage } from './pages/SignInPage';
import { StartDeliveryPage } from './pages/StartDeliveryPage';
import { hrefOf, useRoute } from './router';
import { TasksPage } from './pages/TasksPage';

export function mayAct(session: Session): boolean {
  return session.role === 'manager' || session.role === 'engineer' || session.role === 'admin';
}

export function App() {
  const { t, language, setLanguage } = useI18n();
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(() => signIn.authorization() !== null);

  const loadSession = useCallback(async () => {
    try {
      setSession(await must(api.GET('/v1/session')));
    } catch (err) {
      if (isProblem(err) && err.status === 401) signIn.signOut();
      setSession(null);
      throw err;
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    if (signIn.authorization()) loadSession().catch(() => undefined);
  }, [loadSession]);

  const languageSwitch = (
    <label className="language">
      {t('language')}{' '}
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        <option value="zh">中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );

  if (checking) return <main className="centered">{t('loading')}</main>;
  if (!session) {
    return (
      <>
        <header className="topbar">
          <span className="brand">{t('appName')}</span>
          {languageSwitch}
        </header>
        <main>
          <SignInPage
            onSignIn={async (token) => {
              signIn.remember(token);
              await loadSession();
            }}
          />
        </main>
      </>
    );
  }

  const nav = [
    { route: { page: 'portfolio' } as const, label: t('portfolio') },
    ...(mayAct(session) ? [{ route: { page: 'start' } as const, label: t('startDelivery') }] : []),
    { route: { page: 'tasks' } as const, label: t('tasks') },
    { route: { page: 'environments' } as const, label: t('environments') },
  ];
  return (
    <>
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('appName')}>
          {nav.map((n) => (
            <a key={n.route.page} href={hrefOf(n.route)} aria-current={route.page === n.route.page ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <span className="who">
          {t('signedInAs', { name: session.name, role: session.role })}
          {session.customerId ? ` · ${t('confinedTo', { customer: session.customerId })}` : ''}
        </span>
        {languageSwitch}
        <button
          type="button"
          onClick={() => {
            signIn.signOut();
            setSession(null);
          }}
        >
          {t('signOut')}
        </button>
      </header>
      <main>
        {route.page === 'delivery' && <DeliveryPage key={route.id} id={route.id} session={session} />}
        {route.page === 'start' && <StartDeliveryPage session={session} />}
        {route.page === 'environments' && <EnvironmentsPage session={session} />}
        {route.page === 'tasks' && <TasksPage session={session} />}
        {route.page === 'portfolio' && <PortfolioPage session={session} />}
      </main>
    </>
  );
}
