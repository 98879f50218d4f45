import { type FormEvent, useState } from 'react';
import { isProblem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Problem } from './common';

/** Bearer-token sign-in; an OIDC redirect would replace this page, not the rest of the console. */
export function SignInPage({ onSignIn }: { onSignIn: (token: string) => Promise<void> }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      await onSignIn(token);
    } catch (err) {
      setProblem(isProblem(err) ? err : { status: 0, message: String(err) });
    }
  };
  return (
    <section className="card narrow">
      <h1>{t('signIn')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="token">{t('token')}</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
        <p className="hint">{t('tokenHint')}</p>
        <button type="submit">{t('signIn')}</button>
      </form>
      <Problem problem={problem} />
    </section>
  );
}
