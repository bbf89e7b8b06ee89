// Article feed polling: what one poll of a 500-item RSS feed (2 KB of text
// each, about 1.2 MB) costs through the real job (fetch from a loopback
// server, parse, compare, save, record), first import, unchanged without and
// with a 304, and with one article new and one changed; and the time from a
// change in the feed to the article in the desk with the job runner running
// as in production (FEED_POLL_SECONDS=5 here; the wait is at most the poll
// interval plus the runner's half-second turn plus one poll). On SQLite, and
// on PostgreSQL when it answers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { createApp, type App } from '../src/app.ts';
import { createLogger } from '../src/log/logger.ts';
import { addFeed, pollFeedNow } from '../src/db/repositories/feeds.ts';
import { findArticleByUrlKey } from '../src/db/repositories/articles.ts';
import { urlKey } from '../src/articles/url-key.ts';
import { startFeedServer, type FeedServer } from '../test/feeds/feed-server.ts';
import { rss, type Piece } from '../test/feeds/documents.ts';
import type { Row } from './mail.ts';

const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ITEMS = 500;
const RUNS = 7;
const TEXT = 'The council voted to raise tram fares and cut the night service, and riders were not asked. '.repeat(22);

const pieces = (version: number): Piece[] =>
  Array.from({ length: ITEMS }, (_, i): Piece => ({
    url: `https://review.example.com/2024/${i}/piece-${i}/`,
    title: i === 1 && version > 0 ? `Piece ${i}, revised ${version}` : `Piece ${i}`,
    author: 'Dana Reyes',
    date: new Date(Date.UTC(2024, 4, 1) - i * 3600_000).toISOString(),
    section: 'Opinion',
    html: `<p>${TEXT}</p><p>Number ${i}.</p>`,
  })).concat(version > 0 ? [{ url: `https://review.example.com/2024/new-${version}/`, title: `New ${version}`, date: '2024-05-02T00:00:00Z', html: `<p>${TEXT}</p>` }] : []);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function pgDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `ld_bench_feeds_${crypto.randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function measure(label: string, databaseUrl: string | null, cms: FeedServer): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-bench-feeds-'));
  const env = { LETTERDESK_DATA: dir, PORT: '0', SMTP_PORT: '0', FEED_POLL_SECONDS: '5', FEED_MAX_BYTES: String(8 << 20), LETTERDESK_MAIL_DNS: 'off', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const app: App = await createApp(loadConfig(env), { demo: false, log: createLogger('warn') });
  const { ctx } = app;
  const rows: Row[] = [];
  const feedPath = `/${label}.xml`;
  try {
    cms.set(feedPath, { body: rss(pieces(0)) });
    const feed = (await ctx.db.writes.run((trx) => addFeed(ctx.db, trx, { url: `${cms.url}${feedPath}`, format: 'auto', origin: 'desk' })))!;
    const poll = async () => {
      await ctx.db.writes.run((trx) => pollFeedNow(ctx.db, trx, feed.id));
      const t0 = performance.now();
      await app.background.runJobs();
      return performance.now() - t0;
    };
    const first = await poll();
    rows.push({ name: `${label}: first poll, ${ITEMS} new articles`, value: Math.round(first), unit: 'ms', note: `${(rss(pieces(0)).length / 1e6).toFixed(1)} MB feed` });

    const unchanged: number[] = [];
    cms.set(feedPath, { body: rss(pieces(0)), conditional: false });
    for (let i = 0; i < RUNS; i++) unchanged.push(await poll());
    rows.push({ name: `${label}: poll, feed unchanged, no ETag (all ${ITEMS} compared)`, value: Math.round(median(unchanged)), unit: 'ms p50' });

    cms.set(feedPath, { body: rss(pieces(0)) });
    await poll();
    const notModified: number[] = [];
    for (let i = 0; i < RUNS; i++) notModified.push(await poll());
    rows.push({ name: `${label}: poll answered 304`, value: Math.round(median(notModified) * 10) / 10, unit: 'ms p50' });

    const changed: number[] = [];
    for (let v = 1; v <= RUNS; v++) {
      cms.set(feedPath, { body: rss(pieces(v)) });
      changed.push(await poll());
    }
    rows.push({ name: `${label}: poll, 1 new + 1 changed of ${ITEMS + 1}`, value: Math.round(median(changed)), unit: 'ms p50' });

    // End to end with the job runner as in production (every 500 ms), polls every 5 s.
    await app.background.run({ events: 200, jobs: 500 });
    const waits: number[] = [];
    for (let v = 100; v < 100 + 4; v++) {
      await new Promise((r) => setTimeout(r, Math.random() * 5000));
      cms.set(feedPath, { body: rss(pieces(v)) });
      const t0 = performance.now();
      const key = urlKey(`https://review.example.com/2024/new-${v}/`)!;
      while (!(await findArticleByUrlKey(ctx.db, key))) await new Promise((r) => setTimeout(r, 20));
      waits.push(performance.now() - t0);
    }
    rows.push({ name: `${label}: feed change → article in the desk (FEED_POLL_SECONDS=5)`, value: Math.round(median(waits)), unit: 'ms p50', note: `max ${Math.round(Math.max(...waits))} ms of ${waits.length}; ≤ interval + 0.5 s + one poll` });
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export async function benchFeeds(): Promise<Row[]> {
  const cms = await startFeedServer();
  try {
    const rows = await measure('sqlite', null, cms);
    const pgdb = await pgDatabase();
    if (pgdb) {
      try {
        rows.push(...(await measure('postgres', pgdb.url, cms)));
      } finally {
        await pgdb.drop();
      }
    } else rows.push({ name: 'postgres', value: NaN, unit: '', note: `not reachable at ${PG_ADMIN}` });
    return rows;
  } finally {
    await cms.close();
  }
}
