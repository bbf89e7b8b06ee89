// The queue: status tabs with counts, article filter, search, sort, paging by
// cursor, bulk selection and actions. j/k move the selection, Enter opens.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { StanceTag } from './StanceBar.tsx';
import type { LetterInsight } from './insights-api.ts';
import { api, STATUS_TABS, statusLabel, type LetterSummary } from './api.ts';
import { go } from './route.ts';
import type { ShortcutHandler } from './App.tsx';

type Counts = { byStatus: Record<string, number>; byArticle: { id: string | null; title: string | null; total: number; byStatus: Record<string, number> }[] };

function hashFor(p: URLSearchParams, changes: Record<string, string | null>): string {
  const n = new URLSearchParams(p);
  for (const [k, v] of Object.entries(changes)) (v === null || v === '' ? n.delete(k) : n.set(k, v));
  n.delete('cursor');
  return `#/queue?${n.toString()}`;
}

export function Queue({ params, canAct, onList, setHandler }: { params: URLSearchParams; canAct: boolean; onList: (ids: string[]) => void; setHandler: (h: ShortcutHandler | null) => void }) {
  const status = params.get('status') ?? 'new';
  const article = params.get('article') ?? '';
  const q = params.get('q') ?? '';
  const sort = params.get('sort') ?? 'newest';
  const cursor = params.get('cursor');
  const [items, setItems] = useState<LetterSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);

  const load = useCallback(async () => {
    setError(null);
    const query = new URLSearchParams({ limit: '50', sort });
    if (status !== 'all') query.set('status', status);
    if (article) query.set('article', article);
    if (q) query.set('q', q);
    if (cursor) query.set('cursor', cursor);
    try {
      const [list, c] = await Promise.all([api<{ items: LetterSummary[]; nextCursor: string | null }>('GET', `/api/v1/letters?${query}`), api<Counts>('GET', '/api/v1/queue/counts')]);
      setItems(list.items);
      setNext(list.nextCursor);
      setCounts(c);
      onList(list.items.map((l) => l.id));
      setSelected(new Set());
      setFocus(0);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [status, article, q, sort, cursor, onList]);
  useEffect(() => void load(), [load]);

  const bulk = async (input: Record<string, unknown>, ids = [...selected]) => {
    if (!ids.length) return;
    setMessage(null);
    try {
      const r = await api<{ results: { id: string; ok: boolean; error?: string }[] }>('POST', '/api/v1/letters/bulk', { ids, input });
      const failed = r.results.filter((x) => !x.ok);
      setMessage(`${r.results.length - failed.length} of ${r.results.length} letters: ${input.action}${failed.length ? `; not possible for ${failed.length} (${failed[0]!.error})` : ''}.`);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  useEffect(() => {
    setHandler((key) => {
      if (!items?.length) return false;
      if (key === 'j' || key === 'k') {
        const i = Math.max(0, Math.min(items.length - 1, focus + (key === 'j' ? 1 : -1)));
        setFocus(i);
        rows.current[i]?.focus();
        return true;
      }
      const current = items[focus];
      if (!current) return false;
      if (key === 'Enter') return go(`#/letter/${current.id}`), true;
      if (!canAct) return false;
      if (key === 's') return void bulk({ action: 'shortlist' }, [current.id]), true;
      if (key === 'x') return void bulk({ action: 'spam' }, [current.id]), true;
      if (key === 'd') return go(`#/letter/${current.id}?decline=1`), true;
      return false;
    });
    return () => setHandler(null);
  });

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    go(hashFor(params, { q: String(new FormData(e.currentTarget).get('q') ?? '') }));
  };
  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); n.has(id) ? n.delete(id) : n.add(id); return n; });
  const articleCount = (a: Counts['byArticle'][number]) => (status === 'all' ? a.total : (a.byStatus[status] ?? 0));

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Queue</h1>
      <nav aria-label="Letters by status" className="tabs">
        <ul>
          {[...STATUS_TABS, 'all'].map((s) => (
            <li key={s}>
              <a href={hashFor(params, { status: s })} aria-current={s === status ? 'page' : undefined}>
                {s === 'all' ? 'All' : statusLabel(s)} <span className="count">{s === 'all' ? Object.values(counts?.byStatus ?? {}).reduce((a, b) => a + b, 0) : (counts?.byStatus[s] ?? 0)}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="filters">
        <form role="search" onSubmit={search}>
          <label htmlFor="search">Search letters</label>
          <input id="search" name="q" type="search" defaultValue={q} key={q} placeholder="Words in name, town, subject or text" />
          <button type="submit">Search</button>
        </form>
        <div>
          <label htmlFor="article-filter">Article</label>
          <select id="article-filter" value={article} onChange={(e) => go(hashFor(params, { article: e.target.value }))}>
            <option value="">All articles</option>
            {counts?.byArticle.map((a) => (
              <option key={a.id ?? 'none'} value={a.id ?? 'none'}>
                {(a.title ?? 'Not matched to an article').slice(0, 70)} ({articleCount(a)})
              </option>
            ))}
          </select>
          {article && article !== 'none' && <a href={`#/insights/${encodeURIComponent(article)}`}>What readers think of this article</a>}
        </div>
        <div>
          <label htmlFor="sort">Sort</label>
          <select id="sort" value={sort} onChange={(e) => go(hashFor(params, { sort: e.target.value }))}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </div>
      </div>
      {canAct && (
        <div className="bulk" role="group" aria-label="Bulk actions">
          <span>{selected.size} selected</span>
          <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'shortlist' })}>Shortlist</button>
          <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'decline' })}>Decline (no reply)</button>
          <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'spam' })}>Spam</button>
          <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'not_spam' })}>Not spam</button>
        </div>
      )}
      <div aria-live="polite" className="status-line">{message}</div>
      {error && <p role="alert" className="error">{error}</p>}
      {items === null ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p>No letters here.</p>
      ) : (
        <table className="queue">
          <caption className="visually-hidden">Letters, {statusLabel(status)}</caption>
          <thead>
            <tr>
              {canAct && (
                <th scope="col">
                  <input type="checkbox" aria-label="Select all on this page" checked={selected.size === items.length} onChange={(e) => setSelected(e.target.checked ? new Set(items.map((l) => l.id)) : new Set())} />
                </th>
              )}
              <th scope="col">Writer</th>
              <th scope="col">Letter</th>
              <th scope="col">Flags</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {items.map((l, i) => (
              <tr key={l.id} ref={(el) => { rows.current[i] = el; }} tabIndex={-1} className={i === focus ? 'focused' : undefined} aria-selected={i === focus}>
                {canAct && (
                  <td>
                    <input type="checkbox" aria-label={`Select letter from ${l.writer.name}`} checked={selected.has(l.id)} onChange={() => toggle(l.id)} />
                  </td>
                )}
                <td>
                  <strong>{l.writer.name}</strong>
                  {l.writer.town && <div className="muted">{l.writer.town}</div>}
                </td>
                <td>
                  <a href={`#/letter/${l.id}`} onClick={() => setFocus(i)}>{l.subject || l.excerpt.slice(0, 80) || '(no text)'}</a>
                  <div className="muted excerpt">{l.excerpt}</div>
                  <StanceTag insight={(l as { insight?: LetterInsight }).insight ?? null} />
                </td>
                <td>
                  <Flags flags={l.screening.flags} spam={l.screening.spamScore} campaign={l.screening.campaign} />
                </td>
                <td>
                  <time dateTime={l.createdAt}>{new Date(l.createdAt).toLocaleString()}</time>
                  <div className="muted">{statusLabel(l.status)} · {l.source}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages" className="pager">
        {cursor && <a href={hashFor(params, {})}>First page</a>}
        {next && <a href={`${hashFor(params, {})}&cursor=${encodeURIComponent(next)}`}>Next page</a>}
      </nav>
    </section>
  );
}

export function Flags({ flags, spam, campaign }: { flags: string[]; spam: number | null; campaign: string | null }) {
  return (
    <ul className="flags">
      {spam !== null && spam >= 0.5 && <li className="flag warn">spam {spam.toFixed(2)}</li>}
      {campaign && <li className="flag">campaign</li>}
      {flags.filter((f) => f !== 'campaign').map((f) => (
        <li key={f} className="flag">{f.replace(/_/g, ' ')}</li>
      ))}
    </ul>
  );
}
