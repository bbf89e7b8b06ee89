// Sign in, ask for a password reset, and use a one-time link (first admin,
// invitation, reset).
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from './api.ts';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [resetSent, setResetSent] = useState(false);
  const [mode, setMode] = useState<'signin' | 'reset'>('signin');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError(null);
    try {
      if (mode === 'reset') {
        await api('POST', '/api/v1/session/password-reset', { email: f.get('email') });
        setResetSent(true);
      } else {
        await api('POST', '/api/v1/session', { email: f.get('email'), password: f.get('password') });
        onSignedIn();
      }
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <main className="centered" id="main">
      <h1>{mode === 'reset' ? 'Reset your password' : 'Sign in to the letters desk'}</h1>
      <form onSubmit={submit} className="card narrow">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        {mode === 'signin' && (
          <>
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </>
        )}
        {error && <p role="alert" className="error">{error}</p>}
        {resetSent && <p role="status">If this address belongs to the team, a reset link is on its way.</p>}
        <button type="submit" className="primary">{mode === 'reset' ? 'Send reset link' : 'Sign in'}</button>
        <button type="button" className="link" onClick={() => { setMode(mode === 'reset' ? 'signin' : 'reset'); setError(null); }}>
          {mode === 'reset' ? 'Back to sign in' : 'Forgot your password?'}
        </button>
      </form>
    </main>
  );
}

type LinkInfo = { kind: 'first_admin' | 'invitation' | 'reset'; email: string | null; role: string | null };

export function LinkPage({ token, onSignedIn }: { token: string; onSignedIn: () => void }) {
  const q = useQuery({ queryKey: ['link', token], queryFn: () => api<LinkInfo>('GET', `/api/v1/session/links/${encodeURIComponent(token)}`), retry: false });
  const info: LinkInfo | null | 'gone' = q.error ? 'gone' : (q.data ?? null);
  const [error, setError] = useState<string | null>(null);
  if (info === null) return <main className="centered" id="main"><p>Loading…</p></main>;
  if (info === 'gone')
    return (
      <main className="centered" id="main">
        <h1>This link has been used or has expired</h1>
        <p><a href="#/queue">Go to sign in</a></p>
      </main>
    );
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError(null);
    try {
      await api('POST', `/api/v1/session/links/${encodeURIComponent(token)}`, {
        ...(info.kind === 'first_admin' ? { email: f.get('email') } : {}),
        ...(info.kind !== 'reset' ? { name: f.get('name') } : {}),
        password: f.get('password'),
      });
      location.hash = '#/queue';
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
    }
  };
  const title = info.kind === 'first_admin' ? 'Create the first admin account' : info.kind === 'invitation' ? `Join the letters desk as ${info.role}` : 'Choose a new password';
  return (
    <main className="centered" id="main">
      <h1>{title}</h1>
      <form onSubmit={submit} className="card narrow">
        {info.kind === 'first_admin' ? (
          <>
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" autoComplete="username" required />
          </>
        ) : (
          <p>Account: {info.email}</p>
        )}
        {info.kind !== 'reset' && (
          <>
            <label htmlFor="name">Your name</label>
            <input id="name" name="name" autoComplete="name" required />
          </>
        )}
        <label htmlFor="password">Password (at least 10 characters)</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={10} required />
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" className="primary">Continue</button>
      </form>
    </main>
  );
}
