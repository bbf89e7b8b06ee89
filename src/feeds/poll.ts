// Polling one article feed: fetch (conditionally), read, save what is new or
// changed through the article save path (so matching and screening's article
// index pick it up), and record the outcome with the next poll. A feed's
// failure is its own: it is recorded on the feed and shown in the desk, and
// the job ends normally, so other feeds and the rest of the jobs go on.
import { articleInput } from '../articles/schema.ts';
import { ArticleConflict, saveArticle } from '../articles/save.ts';
import { urlKey } from '../articles/url-key.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { findFeed, recordPoll, type Feed, type PollOutcome } from '../db/repositories/feeds.ts';
import type { Job } from '../db/repositories/jobs.ts';
import { fetchDocument, type FetchLimits } from './fetch.ts';
import { FeedError, type FeedItem } from './item.ts';
import { isWordpressApi, parseDocument } from './parse.ts';
import type { SitemapRef } from './sitemap.ts';
import { titleFromUrl } from './text.ts';

/** Items saved from one poll at most, newest first (a sitemap may list every article ever). */
const MAX_ITEMS = 500;
/** Sitemaps of an index read per poll, most recently changed first. */
const MAX_CHILD_SITEMAPS = 5;
/** Pages of WordPress posts read per poll (100 posts each, most recently modified first). */
const MAX_WORDPRESS_PAGES = 3;
/** Articles saved at once: their writes share commits. */
const SAVE_AT_ONCE = 16;
/** A failing feed is polled less often, up to this many intervals apart ("Check now" polls at once). */
const MAX_BACKOFF = 15;

/** The `poll_feed` job: polls the feed if this job is still its poll, then queues the next. */
export async function pollFeedJob(ctx: AppContext, payload: Record<string, unknown>, job: Job): Promise<void> {
  const feed = await findFeed(ctx.db, String(payload.feedId));
  if (!feed || feed.jobId !== job.id) return;
  const outcome = await pollFeed(ctx, feed);
  const failures = outcome.ok ? 0 : feed.failuresInRow + 1;
  const next = new Date(Date.now() + ctx.config.feedPollSeconds * 1000 * Math.min(MAX_BACKOFF, 2 ** Math.max(0, failures - 1)));
  await recordPoll(ctx.db, feed.id, job.id, outcome, next);
  const log = ctx.log.child({ component: 'feeds', feed: feed.id });
  if (!outcome.ok) log.warn({ url: feed.url, error: outcome.error, failures }, 'article feed failed');
  else if (outcome.added || outcome.updated) log.info({ url: feed.url, added: outcome.added, updated: outcome.updated, seen: outcome.itemsSeen }, 'articles from feed');
}

export function fetchLimits(ctx: AppContext): FetchLimits {
  return { timeoutMs: ctx.config.feedTimeoutSeconds * 1000, maxBytes: ctx.config.feedMaxBytes, userAgent: `letterdesk-feeds/1 (+${ctx.config.publicUrl})` };
}

/** One poll; a feed's failure comes back as an outcome, a database failure is thrown (the job is retried). */
export async function pollFeed(ctx: AppContext, feed: Feed): Promise<PollOutcome> {
  const limits = fetchLimits(ctx);
  const wordpress = feed.format === 'wordpress' || (feed.format === 'auto' && isWordpressApi(feed.url));
  let read: Awaited<ReturnType<typeof readFeed>>;
  try {
    read = await readFeed(feed, wordpress, limits);
  } catch (err) {
    const e = err instanceof FeedError ? err : new FeedError(`could not read the feed: ${(err as Error)?.message ?? String(err)}`);
    return { ok: false, httpStatus: e.httpStatus, error: e.message };
  }
  if (read.notModified) return { ok: true, httpStatus: 304, notModified: true, format: null, itemsSeen: 0, itemsSkipped: 0, added: 0, updated: 0, etag: null, lastModified: null };
  const saved = await saveItems(ctx.db, read.items);
  if (saved.firstProblem) ctx.log.child({ component: 'feeds', feed: feed.id }).info({ skipped: saved.skipped, reason: saved.firstProblem }, 'feed items skipped');
  return { ok: true, httpStatus: read.status, notModified: false, format: read.format, itemsSeen: read.items.length, itemsSkipped: saved.skipped, added: saved.added, updated: saved.updated, etag: read.etag, lastModified: read.lastModified };
}

type Read = { notModified: true } | { notModified: false; status: number; format: string; items: FeedItem[]; etag: string | null; lastModified: string | null };

async function readFeed(feed: Feed, wordpress: boolean, limits: FetchLimits): Promise<Read> {
  const url = wordpress ? wordpressPage(feed.url, 1) : feed.url;
  const first = await fetchDocument(url, limits, { etag: feed.etag, lastModified: feed.lastModified });
  if (first.notModified) return { notModified: true };
  const doc = parseDocument(first.text, { url: first.url, contentType: first.contentType, expected: feed.format });
  let items = doc.items;
  if (doc.format === 'sitemap-index') items = await childSitemaps(doc.sitemaps, feed, limits);
  if (doc.format === 'wordpress') {
    const pages = Math.min(MAX_WORDPRESS_PAGES, Number(first.headers.get('x-wp-totalpages')) || 1);
    for (let page = 2; page <= pages; page++) {
      const next = await fetchDocument(wordpressPage(feed.url, page), limits);
      if (next.notModified) break;
      items = items.concat(parseDocument(next.text, { url: next.url, contentType: next.contentType, expected: 'wordpress' }).items);
    }
  }
  return { notModified: false, status: first.status, format: doc.format, items: newestFirst(items).slice(0, MAX_ITEMS), etag: first.etag, lastModified: first.lastModified };
}

/** WordPress's posts, most recently modified first, with author and categories embedded; the admin's own parameters win. */
export function wordpressPage(url: string, page: number): string {
  const u = new URL(url);
  const defaults: Record<string, string> = { per_page: '100', orderby: 'modified', order: 'desc', _embed: 'author,wp:term' };
  for (const [k, v] of Object.entries(defaults)) if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  u.searchParams.set('page', String(page));
  return u.toString();
}

async function childSitemaps(refs: SitemapRef[], feed: Feed, limits: FetchLimits): Promise<FeedItem[]> {
  const host = (u: string) => new URL(u).hostname.replace(/^www\./, '');
  const own = refs.filter((r) => host(r.url) === host(feed.url));
  if (refs.length && !own.length) throw new FeedError(`the sitemap index lists only sitemaps on other sites (${new URL(refs[0]!.url).host}); letterdesk reads sitemaps on the feed's own site`);
  const chosen = own
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => (b.lastmod?.getTime() ?? -Infinity) - (a.lastmod?.getTime() ?? -Infinity) || a.i - b.i)
    .slice(0, MAX_CHILD_SITEMAPS);
  const items: FeedItem[] = [];
  for (const ref of chosen) {
    const doc = await fetchDocument(ref.url, limits);
    if (doc.notModified) continue;
    try {
      items.push(...parseDocument(doc.text, { url: doc.url, contentType: doc.contentType, expected: 'sitemap' }).items);
    } catch (err) {
      throw err instanceof FeedError ? new FeedError(`${new URL(ref.url).pathname}: ${err.message}`, err.httpStatus) : err;
    }
  }
  return items;
}

function newestFirst(items: FeedItem[]): FeedItem[] {
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => (b.it.publishedAt?.getTime() ?? -Infinity) - (a.it.publishedAt?.getTime() ?? -Infinity) || a.i - b.i)
    .map((x) => x.it);
}

/** Saves items that are new or changed; one URL once (the first, newest, wins). */
async function saveItems(db: Db, items: FeedItem[]): Promise<{ added: number; updated: number; skipped: number; firstProblem: string | null }> {
  const out = { added: 0, updated: 0, skipped: 0, firstProblem: null as string | null };
  const seen = new Set<string>();
  const inputs = [];
  for (const it of items) {
    const key = urlKey(it.url);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const parsed = articleInput.safeParse({ ...it, title: it.title ?? titleFromUrl(it.url) ?? undefined, publishedAt: it.publishedAt?.toISOString() });
    if (!parsed.success) {
      out.skipped++;
      out.firstProblem ??= `${it.url}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'item'} ${i.message}`).join('; ')}`;
      continue;
    }
    inputs.push(parsed.data);
  }
  for (let i = 0; i < inputs.length; i += SAVE_AT_ONCE) {
    await Promise.all(
      inputs.slice(i, i + SAVE_AT_ONCE).map(async (input) => {
        try {
          const r = await saveArticle(db, input, { keepMissing: true });
          if (r.created) out.added++;
          else if (r.changed) out.updated++;
        } catch (err) {
          if (!(err instanceof ArticleConflict)) throw err;
          out.skipped++;
          out.firstProblem ??= `${input.url}: ${err.message}`;
        }
      }),
    );
  }
  return out;
}
