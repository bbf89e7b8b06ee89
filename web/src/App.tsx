// The desk: signs in, then shows the queue, a letter, the tray, the outbox or
// settings. Keyboard shortcuts are handled here so they work on every page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, setCsrf, type Session } from './api.ts';
import { useRoute, go } from './route.ts';
import { SignIn, LinkPage } from './SignIn.tsx';
import { Queue } from './Queue.tsx';
import { LetterView } from './LetterView.tsx';
import { Settings } from './Settings.tsx';
import { Tray, Outbox } from './Tray.tsx';
import { Help, SHORTCUT_KEYS } from './Help.tsx';
import { Insights } from './Insights.tsx';
import { WeeklyReport } from './WeeklyReport.tsx';

/** What the current page wants to do with a shortcut (the queue and the letter view register one). */
export type ShortcutHandler = (key: string) => boolean;

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null | 'loading'>('loading');
  const [help, setHelp] = useState(false);
  const [queueIds, setQueueIds] = useState<string[]>([]);
  const handler = useRef<ShortcutHandler | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await api<Session>('GET', '/api/v1/session');
      setCsrf(s.csrfToken);
      setSession(s);
    } catch {
      setSession(null);
    }
  }, []);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"]')) {
        if (e.key === 'Escape') (t as HTMLElement).blur();
        return;
      }
      if (e.key === '?') {
        setHelp((h) => !h);
        e.preventDefault();
        return;
      }
      if (e.key === 'Escape') return setHelp(false);
      if (e.key === '/') {
        const search = document.getElementById('search') as HTMLInputElement | null;
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      if (SHORTCUT_KEYS.includes(e.key) && handler.current?.(e.key)) e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  if (route.page === 'link' && route.arg) return <LinkPage token={route.arg} onSignedIn={load} />;
  if (session === 'loading') return <main className="centered"><p>Loading…</p></main>;
  if (!session) return <SignIn onSignedIn={load} />;

  const signOut = async () => {
    await api('DELETE', '/api/v1/session').catch(() => {});
    setCsrf(null);
    setSession(null);
    go('#/queue');
  };
  const canAct = session.user.role !== 'viewer';
  const nav = [
    ['queue', 'Queue'],
    ['tray', 'System tray'],
    ['report', 'Weekly report'],
    ...(session.user.role === 'admin' ? [['outbox', 'Outbox'], ['settings', 'Settings']] : []),
  ];

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="top">
        <span className="brand">Letters desk</span>
        <nav aria-label="Desk">
          <ul>
            {nav.map(([page, label]) => (
              <li key={page}>
                <a href={`#/${page}`} aria-current={route.page === page || (page === 'queue' && route.page === 'letter') ? 'page' : undefined}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {session.user.name} <span className="role">({session.user.role})</span>
        </span>
        <button type="button" className="link" onClick={() => setHelp(true)}>Shortcuts</button>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'letter' && route.arg ? (
          <LetterView key={route.arg} id={route.arg} me={session.user.email ?? session.user.name} canAct={canAct} queueIds={queueIds} setHandler={(h) => (handler.current = h)} />
        ) : route.page === 'settings' && session.user.role === 'admin' ? (
          <Settings self={session.user} />
        ) : route.page === 'insights' && route.arg ? (
          <Insights key={route.arg} articleId={route.arg} canAct={canAct} />
        ) : route.page === 'report' ? (
          <WeeklyReport params={route.params} />
        ) : route.page === 'tray' ? (
          <Tray canAct={canAct} />
        ) : route.page === 'outbox' && session.user.role === 'admin' ? (
          <Outbox />
        ) : (
          <Queue params={route.params} canAct={canAct} onList={setQueueIds} setHandler={(h) => (handler.current = h)} />
        )}
      </main>
      {help && <Help onClose={() => setHelp(false)} />}
    </>
  );
}
