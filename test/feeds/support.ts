// Feed tests' helpers: a desk with an admin token, feeds added through the
// API, polls run the way the job runner runs them, articles read back.
import { urlKey } from '../../src/articles/url-key.ts';
import { findArticleByUrlKey, type Article } from '../../src/db/repositories/articles.ts';
import { call } from '../desk/support.ts';
import type { TestApp } from '../support/app.ts';

export async function addFeed(t: TestApp, url: string, format = 'auto'): Promise<{ id: string }> {
  const r = await call(t.url, 'POST', '/api/v1/feeds', { bearer: await t.token('admin'), body: { url, format } });
  if (r.status !== 201) throw new Error(`adding the feed answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json;
}

export async function feeds(t: TestApp): Promise<any[]> {
  const r = await call(t.url, 'GET', '/api/v1/feeds', { bearer: await t.token('admin') });
  return r.json.items;
}

export async function feed(t: TestApp, id: string): Promise<any> {
  return (await feeds(t)).find((f) => f.id === id);
}

/** "Check now" on a feed, then one round of due jobs (what the job runner does every half second). */
export async function pollNow(t: TestApp, id: string): Promise<void> {
  const r = await call(t.url, 'POST', `/api/v1/feeds/${id}/poll`, { bearer: await t.token('admin') });
  if (r.status !== 202) throw new Error(`poll now answered ${r.status}`);
  await t.desk.background.runJobs();
}

export function article(t: TestApp, url: string): Promise<Article | null> {
  return findArticleByUrlKey(t.ctx.db, urlKey(url)!);
}

/** The feed's waiting poll job (its id and when it is due). */
export async function pollJob(t: TestApp, feedId: string): Promise<{ id: string; runAt: Date; done: boolean }> {
  const row = await t.ctx.db.read.selectFrom('article_feeds').innerJoin('jobs', 'jobs.id', 'article_feeds.job_id').select(['jobs.id', 'jobs.run_at', 'jobs.done_at']).where('article_feeds.id', '=', feedId).executeTakeFirstOrThrow();
  return { id: row.id, runAt: t.ctx.db.dialect.readTime(row.run_at), done: row.done_at != null };
}
