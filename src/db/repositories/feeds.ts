// Article feeds from the CMS and what their polls found. Each feed has one
// poll job at a time (`job_id`): the job that polls it queues the next in the
// same transaction as the outcome, and a job that is no longer the feed's
// (the feed was removed, or a sweep replaced a lost job) does nothing. So two
// nodes never poll one feed at once, and a feed is never left unpolled.
import type { Selectable } from 'kysely';
import { uuidv7 } from '../../util/random.ts';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import type { ArticleFeedTable } from '../schema.ts';
import { enqueueJob } from './jobs.ts';

export const FEED_FORMATS = ['auto', 'rss', 'atom', 'json', 'sitemap', 'wordpress'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
/** Desk: added by an admin in the settings; config: listed in ARTICLE_FEEDS by the operator. */
export type FeedOrigin = 'desk' | 'config';
export const POLL_FEED_JOB = 'poll_feed';

export type Feed = {
  id: string;
  url: string;
  format: FeedFormat;
  origin: FeedOrigin;
  detectedFormat: string | null;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  failuresInRow: number;
  itemsSeen: number;
  itemsSkipped: number;
  articlesAdded: number;
  articlesUpdated: number;
  jobId: string | null;
  createdAt: Date;
};

/** What one poll found: the document (or 304), or why it failed. */
export type PollOutcome =
  | { ok: true; httpStatus: number; notModified: boolean; format: string | null; itemsSeen: number; itemsSkipped: number; added: number; updated: number; etag: string | null; lastModified: string | null }
  | { ok: false; httpStatus: number | null; error: string };

function toFeed(db: Db, r: Selectable<ArticleFeedTable>): Feed {
  const m = db.dialect;
  return {
    id: r.id,
    url: r.url,
    format: r.format as FeedFormat,
    origin: r.origin as FeedOrigin,
    detectedFormat: r.detected_format,
    etag: r.etag,
    lastModified: r.last_modified,
    lastAttemptAt: m.readTimeOrNull(r.last_attempt_at),
    lastSuccessAt: m.readTimeOrNull(r.last_success_at),
    lastErrorAt: m.readTimeOrNull(r.last_error_at),
    lastError: r.last_error,
    lastHttpStatus: r.last_http_status == null ? null : m.readInt(r.last_http_status),
    failuresInRow: m.readInt(r.failures_in_row),
    itemsSeen: m.readInt(r.items_seen),
    itemsSkipped: m.readInt(r.items_skipped),
    articlesAdded: m.readInt(r.articles_added),
    articlesUpdated: m.readInt(r.articles_updated),
    jobId: r.job_id,
    createdAt: m.readTime(r.created_at),
  };
}

export async function listFeeds(db: Db, ex: Reader = db.read): Promise<Feed[]> {
  const rows = await ex.selectFrom('article_feeds').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => toFeed(db, r));
}

export async function findFeed(db: Db, id: string, ex: Reader = db.read): Promise<Feed | null> {
  const r = await ex.selectFrom('article_feeds').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toFeed(db, r) : null;
}

/** A feed's health as a metrics gauge reads it: one entry per feed. */
export type FeedStatus = Pick<Feed, 'id' | 'url' | 'origin' | 'lastAttemptAt' | 'lastSuccessAt' | 'lastErrorAt' | 'lastError' | 'failuresInRow' | 'itemsSeen' | 'articlesAdded' | 'articlesUpdated'> & {
  /** The last poll failed (no success since the last error). */
  failing: boolean;
};

export async function feedStatuses(db: Db): Promise<FeedStatus[]> {
  return (await listFeeds(db)).map((f) => ({
    id: f.id,
    url: f.url,
    origin: f.origin,
    lastAttemptAt: f.lastAttemptAt,
    lastSuccessAt: f.lastSuccessAt,
    lastErrorAt: f.lastErrorAt,
    lastError: f.lastError,
    failuresInRow: f.failuresInRow,
    itemsSeen: f.itemsSeen,
    articlesAdded: f.articlesAdded,
    articlesUpdated: f.articlesUpdated,
    failing: f.failuresInRow > 0,
  }));
}

/** Adds a feed and queues its first poll for now, in one transaction; null when the URL is already a feed. */
export async function addFeed(db: Db, ex: Trx, f: { url: string; format: FeedFormat; origin: FeedOrigin }, now = new Date()): Promise<Feed | null> {
  const taken = await ex.selectFrom('article_feeds').select('id').where('url', '=', f.url).executeTakeFirst();
  if (taken) return null;
  const id = uuidv7();
  const jobId = await enqueueJob(db, ex, POLL_FEED_JOB, { feedId: id }, now);
  await ex
    .insertInto('article_feeds')
    .values({
      id,
      url: f.url,
      format: f.format,
      origin: f.origin,
      detected_format: null,
      etag: null,
      last_modified: null,
      last_attempt_at: null,
      last_success_at: null,
      last_error_at: null,
      last_error: null,
      last_http_status: null,
      failures_in_row: 0,
      items_seen: 0,
      items_skipped: 0,
      articles_added: 0,
      articles_updated: 0,
      job_id: jobId,
      created_at: db.dialect.time(now),
    })
    .execute();
  return findFeed(db, id, ex);
}

/** Removes a feed and retires its poll job (articles it brought stay). */
export async function removeFeed(db: Db, ex: Trx, id: string): Promise<boolean> {
  const feed = await findFeed(db, id, ex);
  if (!feed) return false;
  await ex.deleteFrom('article_feeds').where('id', '=', id).execute();
  if (feed.jobId) await retireJob(db, ex, feed.jobId, 'feed removed');
  return true;
}

async function retireJob(db: Db, ex: Trx, jobId: string, why: string): Promise<void> {
  await ex.updateTable('jobs').set({ done_at: db.dialect.time(new Date()), last_error: why }).where('id', '=', jobId).where('done_at', 'is', null).execute();
}

/** Moves a feed's waiting poll to now ("Check now"); false when it is being polled this moment (or has no job). */
export async function pollFeedNow(db: Db, ex: Trx, id: string, now = new Date()): Promise<boolean> {
  const feed = await findFeed(db, id, ex);
  if (!feed?.jobId) return false;
  const m = db.dialect;
  const r = await ex
    .updateTable('jobs')
    .set({ run_at: m.time(now) })
    .where('id', '=', feed.jobId)
    .where('done_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', m.time(now))]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Records a poll's outcome and queues the feed's next poll at `nextAt`, in one
 * transaction, if `jobId` is still the feed's poll job; false (and nothing
 * written) when it is not: the feed was removed or its poll was replaced.
 */
export async function recordPoll(db: Db, feedId: string, jobId: string, outcome: PollOutcome, nextAt: Date, now = new Date()): Promise<boolean> {
  const m = db.dialect;
  return db.writes.run(async (trx) => {
    const next = await enqueueJob(db, trx, POLL_FEED_JOB, { feedId }, nextAt);
    const at = m.time(now);
    // Conditional on the job still being the feed's: PostgreSQL waits for a
    // concurrent change to the row and checks again, so the outcome is never
    // dropped for a lock, and a superseded poll queues nothing.
    const r = await trx
      .updateTable('article_feeds')
      .set((eb) =>
        outcome.ok
          ? {
              job_id: next,
              last_attempt_at: at,
              last_success_at: at,
              last_http_status: outcome.httpStatus,
              failures_in_row: 0,
              ...(outcome.notModified
                ? {}
                : {
                    detected_format: outcome.format,
                    etag: outcome.etag,
                    last_modified: outcome.lastModified,
                    items_seen: outcome.itemsSeen,
                    items_skipped: outcome.itemsSkipped,
                  }),
              articles_added: eb('articles_added', '+', outcome.added),
              articles_updated: eb('articles_updated', '+', outcome.updated),
            }
          : {
              job_id: next,
              last_attempt_at: at,
              last_error_at: at,
              last_error: outcome.error.slice(0, 1000),
              last_http_status: outcome.httpStatus,
              failures_in_row: eb('failures_in_row', '+', 1),
            },
      )
      .where('id', '=', feedId)
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return true;
    await trx.deleteFrom('jobs').where('id', '=', next).execute();
    return false;
  });
}

/**
 * Gives every feed whose poll job was lost (finished after its last attempt
 * failed, or never queued) a new one due now. Feeds are claimed, so two
 * nodes sweeping at once do not both queue one.
 */
export async function ensureFeedPolls(db: Db, now = new Date()): Promise<number> {
  const m = db.dialect;
  return db.writes.run(async (trx) => {
    const feeds = await m.claimRows(trx.selectFrom('article_feeds').select(['id', 'job_id'])).execute();
    let queued = 0;
    for (const f of feeds) {
      const job = f.job_id ? await trx.selectFrom('jobs').select('done_at').where('id', '=', f.job_id).executeTakeFirst() : undefined;
      if (job && job.done_at == null) continue;
      const id = await enqueueJob(db, trx, POLL_FEED_JOB, { feedId: f.id }, now);
      await trx.updateTable('article_feeds').set({ job_id: id }).where('id', '=', f.id).execute();
      queued++;
    }
    return queued;
  });
}

/**
 * Makes the operator's feeds (ARTICLE_FEEDS) the feeds of origin `config`:
 * new ones are added, ones no longer listed removed. A URL an admin already
 * added in the desk stays the desk's.
 */
export async function syncConfiguredFeeds(db: Db, urls: readonly string[], now = new Date()): Promise<{ added: number; removed: number }> {
  return db.writes.run(async (trx) => {
    const existing = await listFeeds(db, trx);
    let added = 0;
    let removed = 0;
    for (const f of existing) {
      if (f.origin === 'config' && !urls.includes(f.url) && (await removeFeed(db, trx, f.id))) removed++;
    }
    for (const url of urls) {
      if (existing.some((f) => f.url === url)) continue;
      if (await addFeed(db, trx, { url, format: 'auto', origin: 'config' }, now)) added++;
    }
    return { added, removed };
  });
}
