// The desk: signs in, then shows the page the address names (pages.tsx).
// Keyboard shortcuts are handled here so they work on every page; what the
// signed-in editor may do, and the queue's order for j/k, are shared through
// DeskContext.
import { useEffect, useRef, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { Route, Router, Switch, useLocation, useRoute } from 'wouter';
import { api, setCsrf, type User } from './api.ts';
import { go, useFragmentLocation, useFragmentSearch } from './router.ts';
import { keys, queryClient, useSession } from './queries.ts';
import { SignIn, LinkPage } from './SignIn.tsx';
import { Help, SHORTCUT_KEYS } from './Help.tsx';
import { PAGES } from './pages.tsx';
import { DeskContext, type Desk, type ShortcutHandler } from './desk.ts';
import { Queue } from './Queue.tsx';

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Router hook={useFragmentLocation} searchHook={useFragmentSearch}>
        <Shell />
      </Router>
    </QueryClientProvider>
  );
}

function Shell() {
  const session = useSession();
  const [link, linkParams] = useRoute('/link/:token');
  useEffect(() => setCsrf(session.data?.csrfToken ?? null), [session.data]);
  const signedIn = () => void queryClient.invalidateQueries({ queryKey: keys.session });

  if (link && linkParams.token) return <LinkPage token={linkParams.token} onSignedIn={signedIn} />;
  if (session.isPending) return <main className="centered"><p>Loading…</p></main>;
  if (!session.data) return <SignIn onSignedIn={signedIn} />;
  return <SignedIn user={session.data.user} />;
}

function SignedIn({ user }: { user: User }) {
  const [location] = useLocation();
  const [help, setHelp] = useState(false);
  const [queueIds, setQueueIds] = useState<string[]>([]);
  const handler = useRef<ShortcutHandler | null>(null);
  const desk: Desk = { user, canAct: user.role !== 'viewer', queueIds, setQueueIds, setHandler: (h) => (handler.current = h) };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"]')) {
        if (e.key === 'Escape') t.blur();
        return;
      }
      if (e.key === '?') {
        setHelp((h) => !h);
        e.preventDefault();
        return;
      }
      if (e.key === 'Escape') return setHelp(false);
      // Enter on a link or button is that link's or button's, not the queue's "open the selected letter".
      if (e.key === 'Enter' && t.closest('a[href], button')) return;
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

  const signOut = async () => {
    await api('DELETE', '/api/v1/session').catch(() => {});
    setCsrf(null);
    queryClient.clear();
    go('/queue');
  };
  const pages = PAGES.filter((p) => !p.roles || p.roles.includes(user.role));
  // The navigation entry of the page shown (a letter belongs to the queue; anything unmatched shows the queue).
  const shown = pages.find((p) => new RegExp(`^${p.path.replace(/:[^/]+/g, '[^/]+')}$`).test(location));
  const current = shown ? shown.section : '/queue';

  return (
    <DeskContext.Provider value={desk}>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="top">
        <span className="brand">Letters desk</span>
        <nav aria-label="Desk">
          <ul>
            {pages.filter((p) => p.nav).map((p) => (
              <li key={p.path}>
                <a href={`#${p.path}`} aria-current={current === p.section ? 'page' : undefined}>{p.nav}</a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {user.name} <span className="role">({user.role})</span>
        </span>
        <button type="button" className="link" onClick={() => setHelp(true)}>Shortcuts</button>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Switch>
          {pages.map((p) => (
            <Route key={p.path} path={p.path}>
              {(params: Record<string, string | undefined>) => <p.component key={params.id ?? p.path} params={params} />}
            </Route>
          ))}
          {/* Anything else (the first visit, an old address, a page this role may not open) is the queue. */}
          <Route>{() => <Queue params={{}} />}</Route>
        </Switch>
      </main>
      {help && <Help onClose={() => setHelp(false)} />}
    </DeskContext.Provider>
  );
}
