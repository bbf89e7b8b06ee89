// Article feeds on the settings page: each feed with the state of its polls
// (last success, last error with its reason, items seen, articles added and
// updated), a form to add one, "Check now" and "Remove". The list refreshes
// while the page is open, so a poll's outcome shows without reloading.
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from './api.ts';
import { queryClient } from './queries.ts';
import type { presentFeed } from '../../src/server/routes/feeds/presenter.ts';

type Feed = ReturnType<typeof presentFeed>;

const FORMAT_LABEL: Record<string, string> = {
  auto: 'Detect',
  rss: 'RSS',
  rdf: 'RSS 1.0',
  atom: 'Atom',
  json: 'JSON Feed',
  sitemap: 'Sitemap',
  'sitemap-index': 'Sitemap index',
  wordpress: 'WordPress',
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

function FeedState({ f }: { f: Feed }) {
  if (f.state === 'waiting') return <span className="badge">Waiting for first poll</span>;
  if (f.state === 'ok') return <span className="badge ok">Working</span>;
  return <span className="badge bad">Failing{f.failuresInRow > 1 ? ` (${f.failuresInRow} polls in a row)` : ''}</span>;
}

export function Feeds({ run }: { run: (what: () => Promise<unknown>, done: string) => Promise<void> }) {
  // Read again every 5 s while the page is open, so a poll's outcome shows without reloading.
  const q = useQuery({ queryKey: ['feeds'], queryFn: () => api<{ items: Feed[]; pollSeconds: number }>('GET', '/api/v1/feeds'), refetchInterval: 5000 });
  const feeds = q.data?.items ?? null;
  const pollSeconds = q.data?.pollSeconds ?? 60;
  const error = q.error?.message ?? null;

  const act = async (what: () => Promise<unknown>, done: string) => {
    await run(what, done);
    await queryClient.invalidateQueries({ queryKey: ['feeds'] });
  };

  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    void act(async () => {
      await api('POST', '/api/v1/feeds', { url: String(f.get('url')).trim(), format: String(f.get('format')) });
      form.reset();
    }, 'Feed added; it is read within seconds.');
  };

  return (
    <section className="card" aria-labelledby="feeds-title">
      <h2 id="feeds-title">Article feeds</h2>
      <p className="muted">
        Articles come from your site's feeds: RSS, Atom, JSON Feed, a sitemap (or Google News sitemap) or WordPress (<code>/wp-json/wp/v2/posts</code>). Each is read every {pollSeconds} seconds; new and changed articles
        appear in the desk. A feed that fails is shown here and does not hold up the others.
      </p>
      {error && <p role="alert" className="error">{error}</p>}
      {feeds && feeds.length === 0 && <p>No feeds yet: articles come only from the API and imports.</p>}
      <ul className="plain feeds">
        {feeds?.map((f) => (
          <li key={f.id} className={`feed ${f.state}`} aria-labelledby={`feed-${f.id}`}>
            <div className="feed-head">
              <span id={`feed-${f.id}`} className="feed-url">{f.url}</span>
              <FeedState f={f} />
            </div>
            <dl>
              <dt>Format</dt>
              <dd>{FORMAT_LABEL[f.detectedFormat ?? f.format] ?? f.format}{f.format === 'auto' && !f.detectedFormat ? ' (known once the feed is read)' : ''}</dd>
              <dt>Last success</dt>
              <dd>{when(f.lastSuccessAt)}{f.lastHttpStatus === 304 && f.state === 'ok' ? ' (unchanged since the poll before)' : ''}</dd>
              {f.lastError && (
                <>
                  <dt>Last error</dt>
                  <dd className={f.state === 'failing' ? 'error feed-error' : 'feed-error'}>
                    {f.lastError} <span className="muted">({when(f.lastErrorAt)})</span>
                  </dd>
                </>
              )}
              <dt>Items seen</dt>
              <dd>{f.itemsSeen}{f.itemsSkipped ? `, ${f.itemsSkipped} skipped (no usable link or headline)` : ''}</dd>
              <dt>Articles</dt>
              <dd>{f.articlesAdded} added, {f.articlesUpdated} updated</dd>
            </dl>
            <div className="actions">
              <button type="button" onClick={() => void act(() => api('POST', `/api/v1/feeds/${f.id}/poll`), 'The feed is being read.')}>Check now<span className="visually-hidden"> {f.url}</span></button>
              {f.origin === 'config' ? (
                <span className="muted">Set by the operator (ARTICLE_FEEDS)</span>
              ) : (
                <button type="button" onClick={() => void act(() => api('DELETE', `/api/v1/feeds/${f.id}`), 'Feed removed; its articles stay.')}>Remove<span className="visually-hidden"> {f.url}</span></button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="feed-form">
        <div>
          <label htmlFor="feed-url">Feed address</label>
          <input id="feed-url" name="url" type="url" required placeholder="https://www.example.com/feed/" />
        </div>
        <div>
          <label htmlFor="feed-format">Format</label>
          <select id="feed-format" name="format" defaultValue="auto">
            <option value="auto">Detect</option>
            <option value="rss">RSS</option>
            <option value="atom">Atom</option>
            <option value="json">JSON Feed</option>
            <option value="sitemap">Sitemap</option>
            <option value="wordpress">WordPress REST API</option>
          </select>
        </div>
        <button type="submit">Add feed</button>
      </form>
    </section>
  );
}
