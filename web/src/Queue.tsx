// The queue: status tabs with counts, filters (article, campaign, search,
// sort), paging by cursor, bulk selection and actions. A campaign's letters
// show as one row ("Keep the promise — 6 letters") that opens to its members;
// filtered to one campaign, the queue offers actions on the whole campaign.
// j/k move the selection, Enter opens. On a phone the letters come first.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, STATUS_TABS, statusLabel, type BulkAnswer, type LetterSummary, type PageCampaign } from './api.ts';
import { go, queueHref, useParams } from './router.ts';
import { lettersChanged, useCounts, useLetterList } from './queries.ts';
import { useDesk } from './desk.ts';
import { titleAndExcerpt, When, cutAtWord } from './format.tsx';
import { bulkMessage } from './messages.ts';
import { CampaignPanel } from './Campaign.tsx';
import type { PageProps } from './pages.tsx';
import { StanceTag } from './StanceBar.tsx';
import type { LetterInsight } from './insights-api.ts';

type Row = { kind: 'letter'; letter: LetterSummary; member?: boolean } | { kind: 'campaign'; id: string; name: string; total: number; members: LetterSummary[] };

export function Queue(_: PageProps) {
  const { canAct, setQueueIds, setHandler } = useDesk();
  const params = useParams();
  const campaign = params.get('campaign') ?? '';
  const status = params.get('status') ?? (campaign ? 'all' : 'new');
  const article = params.get('article') ?? '';
  const q = params.get('q') ?? '';
  const sort = params.get('sort') ?? 'newest';
  const cursor = params.get('cursor');
  const query = new URLSearchParams({ limit: '50', sort });
  if (status !== 'all') query.set('status', status);
  if (article) query.set('article', article);
  if (campaign) query.set('campaign', campaign);
  if (q) query.set('q', q);
  if (cursor) query.set('cursor', cursor);
  const list = useLetterList(query);
  const counts = useCounts(status === 'all' ? null : status, article || null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rowEls = useRef<(HTMLTableRowElement | null)[]>([]);
  const items = list.data?.items;

  // The campaigns of the page's letters, with their letters by status: the list answers them with the page.
  const campaigns = useMemo(() => new Map((list.data?.campaigns ?? []).map((c) => [c.id, c])), [list.data]);
  const rows = useMemo(() => groupRows(items ?? [], campaign ? null : campaigns, status, open), [items, campaigns, campaign, status, open]);

  useEffect(() => {
    if (items) setQueueIds(items.map((l) => l.id));
    setSelected(new Set());
    setFocus(0);
  }, [items, setQueueIds]);

  const bulk = async (input: { action: string }, ids = [...selected]) => {
    if (!ids.length) return;
    setMessage(null);
    setError(null);
    try {
      const r = await api<BulkAnswer>('POST', '/api/v1/letters/bulk', { ids, input });
      setMessage(bulkMessage(input.action, r.results));
      await lettersChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  useEffect(() => {
    setHandler((key) => {
      if (!rows.length) return false;
      if (key === 'j' || key === 'k') {
        const i = Math.max(0, Math.min(rows.length - 1, focus + (key === 'j' ? 1 : -1)));
        setFocus(i);
        rowEls.current[i]?.focus();
        return true;
      }
      const current = rows[focus];
      if (!current) return false;
      if (current.kind === 'campaign') {
        if (key === 'Enter') return go(queueHref(params, { campaign: current.id, status: null })), true;
        return false;
      }
      const id = current.letter.id;
      if (key === 'Enter') return go(`/letter/${id}`), true;
      if (!canAct) return false;
      const can = (a: string) => current.letter.allowedActions.includes(a as never);
      if (key === 's' && can('shortlist')) return void bulk({ action: 'shortlist' }, [id]), true;
      if (key === 'x' && can('spam')) return void bulk({ action: 'spam' }, [id]), true;
      if (key === 'd' && can('decline')) return go(`/letter/${id}?decline=1`), true;
      return false;
    });
    return () => setHandler(null);
  });

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    go(queueHref(params, { q: String(new FormData(e.currentTarget).get('q') ?? '') }));
  };
  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); n.has(id) ? n.delete(id) : n.add(id); return n; });
  const toggleOpen = (id: string) => setOpen((s) => { const n = new Set(s); n.has(id) ? n.delete(id) : n.add(id); return n; });
  const c = counts.data;
  // While the open tab's lists load, the last tab's show without their counts (they counted other letters).
  const fresh = (c?.status?.join(',') ?? 'all') === status;
  const selectable = items?.filter((l) => rows.some((r) => r.kind === 'letter' && r.letter.id === l.id)) ?? [];

  return (
    <section aria-labelledby="queue-title" className="queue-page">
      <h1 id="queue-title">{campaign ? 'Campaign' : 'Queue'}</h1>
      {campaign && <CampaignPanel id={campaign} name={campaigns.get(campaign)?.name ?? null} total={campaigns.get(campaign)?.total ?? items?.length ?? 0} byStatus={campaigns.get(campaign)?.byStatus ?? null} members={items ?? []} canAct={canAct} onDone={setMessage} />}
      <div className="queue-main">
        {canAct && !campaign && (
          <div className="bulk" role="group" aria-label="Bulk actions" data-empty={selected.size === 0 || undefined}>
            <span>{selected.size} selected</span>
            <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'shortlist' })}>Shortlist</button>
            <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'decline' })}>Decline (no reply)</button>
            <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'spam' })}>Spam</button>
            <button type="button" disabled={!selected.size} onClick={() => bulk({ action: 'not_spam' })}>Not spam</button>
          </div>
        )}
        <div aria-live="polite" className="status-line">{message}</div>
        {(error || list.error) && <p role="alert" className="error">{error ?? list.error?.message}</p>}
        {list.isPending ? (
          <p>Loading…</p>
        ) : !rows.length ? (
          <p>No letters here.</p>
        ) : (
          <table className="queue">
            <caption className="visually-hidden">Letters, {statusLabel(status)}</caption>
            <thead>
              <tr>
                {canAct && (
                  <th scope="col">
                    <input type="checkbox" aria-label="Select all letters shown" checked={selectable.length > 0 && selected.size === selectable.length} onChange={(e) => setSelected(e.target.checked ? new Set(selectable.map((l) => l.id)) : new Set())} />
                  </th>
                )}
                <th scope="col">Writer</th>
                <th scope="col">Letter</th>
                <th scope="col">Article</th>
                <th scope="col">Flags</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) =>
                r.kind === 'campaign' ? (
                  <tr key={`c-${r.id}`} ref={(el) => { rowEls.current[i] = el; }} tabIndex={-1} className={`campaign-row${i === focus ? ' focused' : ''}`}>
                    {canAct && <td />}
                    <td>
                      <button type="button" className="disclose" aria-expanded={open.has(r.id)} onClick={() => toggleOpen(r.id)}>
                        {open.has(r.id) ? 'Hide' : 'Show'} letters
                      </button>
                    </td>
                    <td>
                      <a href={queueHref(params, { campaign: r.id, status: null })} className="campaign-name">
                        {cutAtWord(r.name, 80)} — {r.total} letters
                      </a>
                      <div className="muted">Campaign: the same letter from {r.total} writers{r.members.length < r.total ? ` (${r.members.length} on this page)` : ''}.</div>
                    </td>
                    <td>{new Set(r.members.map((m) => m.article.id)).size === 1 ? <ArticleLink l={r.members[0]!} params={params} /> : 'Several articles'}</td>
                    <td><ul className="flags"><li className="flag">campaign</li></ul></td>
                    <td>{r.members[0] && <When iso={r.members[0].createdAt} />}</td>
                  </tr>
                ) : (
                  <LetterRow key={r.letter.id} l={r.letter} member={r.member} i={i} focused={i === focus} canAct={canAct} selected={selected.has(r.letter.id)} onToggle={toggle} onFocus={setFocus} rowEls={rowEls} params={params} />
                ),
              )}
            </tbody>
          </table>
        )}
        <nav aria-label="Pages" className="pager">
          {cursor && <a href={queueHref(params, {})}>First page</a>}
          {list.data?.nextCursor && <a href={queueHref(params, { cursor: list.data.nextCursor })}>Next page</a>}
        </nav>
      </div>
      <div className="queue-filters">
        <nav aria-label="Letters by status" className="tabs">
          <ul>
            {[...STATUS_TABS, 'all'].map((s) => (
              <li key={s}>
                <a href={queueHref(params, { status: s })} aria-current={s === status ? 'page' : undefined}>
                  {s === 'all' ? 'All' : statusLabel(s)} <span className="count">{s === 'all' ? Object.values(c?.byStatus ?? {}).reduce((a, b) => a + b, 0) : (c?.byStatus[s] ?? 0)}</span>
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
            <select id="article-filter" value={article} onChange={(e) => go(queueHref(params, { article: e.target.value }))}>
              <option value="">All articles</option>
              {c?.byArticle.map((a) => (
                <option key={a.id ?? 'none'} value={a.id ?? 'none'}>
                  {cutAtWord(a.title ?? (a.id ? 'This article' : 'Not matched to an article'), 70)}{fresh ? ` (${a.letters})` : ''}
                </option>
              ))}
              {article && !c?.byArticle.some((a) => (a.id ?? 'none') === article) && (
                <option value={article}>{article === 'none' ? 'Not matched to an article' : cutAtWord(items?.find((l) => l.article.id === article)?.article.title ?? 'This article', 70)}</option>
              )}
              {fresh && !!c?.moreArticles && <option disabled value="more-articles">{c.moreArticles.toLocaleString('en')} more articles not listed: pick one from a letter's Article column</option>}
            </select>
            {article && article !== 'none' && <a href={`#/insights/${encodeURIComponent(article)}`}>What readers think of this article</a>}
          </div>
          <div>
            <label htmlFor="campaign-filter">Campaign</label>
            <select id="campaign-filter" value={campaign} onChange={(e) => go(queueHref(params, { campaign: e.target.value, status: null }))}>
              <option value="">All letters</option>
              {c?.byCampaign.map((x) => (
                <option key={x.id} value={x.id}>
                  {cutAtWord(x.name, 60)}{fresh ? ` (${x.total})` : ''}
                </option>
              ))}
              {campaign && !c?.byCampaign.some((x) => x.id === campaign) && (
                <option value={campaign}>
                  {cutAtWord(campaigns.get(campaign)?.name ?? 'This campaign', 60)}
                  {campaigns.has(campaign) ? ` (${campaigns.get(campaign)!.total})` : ''}
                </option>
              )}
              {fresh && !!c?.moreCampaigns && <option disabled value="more-campaigns">{c.moreCampaignsThan ? 'More than ' : ''}{c.moreCampaigns.toLocaleString('en')} older campaigns: open one from its letters</option>}
            </select>
          </div>
          <div>
            <label htmlFor="sort">Sort</label>
            <select id="sort" value={sort} onChange={(e) => go(queueHref(params, { sort: e.target.value }))}>
              <option value="newest">Newest first</option>
              <option value="oldest">Oldest first</option>
            </select>
          </div>
        </div>
      </div>
    </section>
  );
}

/** A letter's article, a link that filters the queue to it (the way to an article the filter does not list). */
function ArticleLink({ l, params }: { l: LetterSummary; params: URLSearchParams }) {
  if (!l.article.id) return <>Not matched</>;
  const title = cutAtWord(l.article.title ?? l.article.id, 60);
  // Already filtered to it: the title alone.
  if (params.get('article') === l.article.id) return <>{title}</>;
  return (
    <a href={queueHref(params, { article: l.article.id })}>
      {title}
      <span className="visually-hidden"> (show this article's letters)</span>
    </a>
  );
}

/**
 * The page's letters as rows: the letters of a campaign with two or more
 * letters in view become one row at the place of the first, followed by its
 * members when opened.
 */
function groupRows(items: LetterSummary[], campaigns: Map<string, PageCampaign> | null, status: string, open: Set<string>): Row[] {
  const rows: Row[] = [];
  const members = new Map<string, LetterSummary[]>();
  for (const l of items) if (l.screening.campaign) members.set(l.screening.campaign, [...(members.get(l.screening.campaign) ?? []), l]);
  const done = new Set<string>();
  for (const l of items) {
    const id = l.screening.campaign;
    const info = id ? campaigns?.get(id) : undefined;
    const total = info ? (status === 'all' ? info.total : (info.byStatus[status] ?? 0)) : 0;
    if (!id || !info || total < 2) {
      rows.push({ kind: 'letter', letter: l });
      continue;
    }
    if (done.has(id)) continue;
    done.add(id);
    const ms = members.get(id)!;
    rows.push({ kind: 'campaign', id, name: info.name, total, members: ms });
    if (open.has(id)) for (const m of ms) rows.push({ kind: 'letter', letter: m, member: true });
  }
  return rows;
}

type RowProps = {
  l: LetterSummary;
  member?: boolean;
  i: number;
  focused: boolean;
  canAct: boolean;
  selected: boolean;
  onToggle: (id: string) => void;
  onFocus: (i: number) => void;
  rowEls: React.RefObject<(HTMLTableRowElement | null)[]>;
  params: URLSearchParams;
};

function LetterRow({ l, member, i, focused, canAct, selected, onToggle, onFocus, rowEls, params }: RowProps) {
  const { title, rest } = titleAndExcerpt(l.subject, l.excerpt);
  return (
    <tr ref={(el) => { rowEls.current[i] = el; }} tabIndex={-1} className={`${focused ? 'focused' : ''}${member ? ' member' : ''}`} aria-selected={focused} onFocus={() => onFocus(i)}>
      {canAct && (
        <td>
          <input type="checkbox" aria-label={`Select letter from ${l.writer.name}`} checked={selected} onChange={() => onToggle(l.id)} />
        </td>
      )}
      <td className="writer-cell">
        <strong>{l.writer.name}</strong>
        {l.writer.town && <div className="muted">{l.writer.town}</div>}
      </td>
      <td>
        <a href={`#/letter/${l.id}`} onClick={() => onFocus(i)}>{title}</a>
        {rest && <div className="muted excerpt">{rest}</div>}
        <StanceTag insight={(l as { insight?: LetterInsight | null }).insight ?? null} />
      </td>
      <td className="article-cell"><ArticleLink l={l} params={params} /></td>
      <td>
        <Flags flags={l.screening.flags} spam={l.screening.spamScore} campaign={l.screening.campaign} />
      </td>
      <td className="received-cell">
        <When iso={l.createdAt} />
        <div className="muted">{statusLabel(l.status)} · {l.source}</div>
      </td>
    </tr>
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
