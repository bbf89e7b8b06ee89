// The desk's queue listing with 100,000 letters: server time (fastify inject,
// no network) of GET /api/v1/letters for the first page of a status tab, a
// deep page by cursor, one article, and a full-text search, p50/p99, on
// SQLite and on PostgreSQL (its own database at postgres://postgres@127.0.0.1:5432).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.ts';
import { openContext } from '../src/bootstrap.ts';
import { allRoutes, buildHttpServer } from '../src/server/http.ts';
import { createApiToken } from '../src/server/auth.ts';
import { createLogger } from '../src/log/logger.ts';
import type { AppContext } from '../src/context.ts';

export type Row = { name: string; value: number; unit: string; note?: string };

const LETTERS = Number(process.env.BENCH_DESK_LETTERS ?? 100_000);
const RUNS = 200;
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WORDS = 'peace taliban army border talks trade water schools elections courts farmers rivers budget tax railway hospital council police climate housing'.split(' ');
const STATUSES = ['new', 'new', 'new', 'shortlisted', 'declined', 'spam', 'published', 'unconfirmed'];

function pick<T>(a: T[], i: number): T {
  return a[i % a.length]!;
}

/** 100,000 letters written in batches, straight into the tables (intake is benched elsewhere). */
async function fill(ctx: AppContext): Promise<void> {
  const { db } = ctx;
  const m = db.dialect;
  const articles = (await db.read.selectFrom('articles').select('id').execute()).map((a) => a.id);
  const writers = 5000;
  const now = Date.now();
  await db.writes.run(async (trx) => {
    for (let i = 0; i < writers; i += 500) {
      const rows = [];
      for (let j = i; j < Math.min(writers, i + 500); j++) {
        const t = m.time(new Date(now - 86400_000));
        rows.push({ id: `w${String(j).padStart(6, '0')}`, email: `w${j}@bench.example`, email_key: `w${j}@bench.example`, variant_key: `w${j}@bench.example`, name: `Writer ${j}`, town: 'Town', phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: t, updated_at: t });
      }
      await trx.insertInto('writers').values(rows).execute();
    }
    for (let i = 0; i < LETTERS; i += 500) {
      const rows = [];
      const fts: { letter_id: string; text: string }[] = [];
      for (let j = i; j < Math.min(LETTERS, i + 500); j++) {
        const created = new Date(now - (LETTERS - j) * 1000);
        // Time-ordered ids, like uuidv7.
        const id = `${created.getTime().toString(16).padStart(12, '0')}-${String(j).padStart(8, '0')}`;
        const body = Array.from({ length: 60 }, (_, k) => pick(WORDS, j * 7 + k * 13 + (k * k) % 5)).join(' ');
        const t = m.time(created);
        rows.push({
          id, article_id: pick(articles, j), writer_id: `w${String(j % writers).padStart(6, '0')}`, status: pick(STATUSES, j), source: 'form', subject: null, name: `Writer ${j % writers}`, town: 'Town', body, original: body,
          edited_body: null, headline: null, display_name: null, word_count: 60, consent: m.bool(true), exclusive: m.bool(true), article_method: 'form', article_confidence: 1, spam_score: 0.1, spam_reasons: m.json([]),
          campaign_id: null, flags: m.json([]), pow: 'off', dedupe_key: null, message_id: null, confirm_token_hash: null, confirmed_at: null, assigned_to: null, scheduled_at: null, published_at: null, meta: m.json({}), created_at: t, updated_at: t,
        });
        fts.push({ letter_id: id, text: `Writer ${j % writers}\nTown\n\n${body}` });
      }
      await trx.insertInto('letters').values(rows).execute();
      if (db.dialect.name === 'sqlite') await trx.insertInto('letters_fts').values(fts).execute();
    }
    if (db.dialect.name === 'postgres') await sql`update letters set search_vector = to_tsvector('simple', name || ' ' || coalesce(town, '') || ' ' || body)`.execute(trx);
  });
  await db.writes.run((trx) => sql`analyze`.execute(trx));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-bench-desk-'));
  let databaseUrl: string | null = null;
  let dbName: string | null = null;
  if (dialect === 'postgres') {
    dbName = `ld_bench_desk_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const config = loadConfig({ LETTERDESK_DATA: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off' });
  const ctx = await openContext(config, { log: createLogger('silent') });
  try {
    await fill(ctx);
    const app = await buildHttpServer(ctx, allRoutes(ctx));
    await app.ready();
    const { token } = await createApiToken(ctx, 'editor', 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const get = async (url: string) => {
      const r = await app.inject({ method: 'GET', url, headers });
      if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
      return r.json() as { items: { id: string }[]; nextCursor: string | null };
    };
    // A cursor 1,000 letters deep into the "new" tab.
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) cursor = (await get(`/api/v1/letters?status=new&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).nextCursor;
    const article = (await ctx.db.read.selectFrom('articles').select('id').executeTakeFirstOrThrow()).id;
    const cases: [string, string][] = [
      ['first page of a status tab', '/api/v1/letters?status=new&limit=50'],
      ['page 1,000 letters deep (cursor)', `/api/v1/letters?status=new&limit=50&cursor=${cursor}`],
      ['one article, shortlisted', `/api/v1/letters?status=shortlisted&article=${encodeURIComponent(article)}&limit=50`],
      ['full-text search, all statuses', '/api/v1/letters?q=railway%20hospital&limit=50'],
      ['tab counts (by status and article)', '/api/v1/queue/counts'],
    ];
    const rows: Row[] = [];
    for (const [name, url] of cases) {
      for (let i = 0; i < 10; i++) await get(url);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await get(url);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const note = `${LETTERS.toLocaleString('en')} letters, ${RUNS} requests, server time (inject)`;
      rows.push({ name: `desk queue ${dialect}: ${name} p50`, value: Number(percentile(times, 50).toFixed(2)), unit: 'ms', note });
      rows.push({ name: `desk queue ${dialect}: ${name} p99`, value: Number(percentile(times, 99).toFixed(2)), unit: 'ms', note });
    }
    await app.close();
    return rows;
  } finally {
    await ctx.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

export async function benchDesk(): Promise<Row[]> {
  const rows = await measure('sqlite');
  try {
    rows.push(...(await measure('postgres')));
  } catch (err) {
    rows.push({ name: 'desk queue postgres', value: 0, unit: 'ms', note: `skipped: ${(err as Error).message}` });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchDesk()) console.log(`${r.name.padEnd(70)} ${String(r.value).padStart(9)} ${r.unit}  ${r.note ?? ''}`);
}
