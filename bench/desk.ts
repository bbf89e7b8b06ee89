// The desk at a million letters: server time (fastify inject, no network) of
// the reads an editor makes, p50/p99, on SQLite and on PostgreSQL (its own
// database at postgres://postgres@127.0.0.1:5432). The aim (issue 17) is a
// p99 of 50 ms or less for each. BENCH_DESK_LETTERS sets the size (default
// 1,000,000); BENCH_DB=sqlite or postgres measures only that one.
//
// The letters are written straight into the tables (intake is benched
// elsewhere), in big multi-row statements, with the queue's counters and the
// search index kept as the application keeps them. Shape: 500 articles,
// writers with ten letters each, one letter in twenty in one of 200
// campaigns, a common word in nearly every letter and a rare one in twenty.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CompiledQuery, sql } from 'kysely';
import { loadConfig } from '../src/config/index.ts';
import { openContext } from '../src/bootstrap.ts';
import { allRoutes, buildHttpServer } from '../src/server/http.ts';
import { createApiToken } from '../src/server/auth.ts';
import { createLogger } from '../src/log/logger.ts';
import { searchText } from '../src/db/repositories/letters.ts';
import type { AppContext } from '../src/context.ts';
import type { Trx } from '../src/db/executor.ts';
import { percentile } from './percentile.ts';

export type Row = { name: string; value: number; unit: string; note?: string };

const LETTERS = Number(process.env.BENCH_DESK_LETTERS ?? 1_000_000);
const RUNS = 200;
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const WORDS = 'peace taliban army border talks trade water schools elections courts farmers rivers budget tax railway hospital council police climate housing'.split(' ');
const RARE = 'zeppelin';
const STATUSES = ['new', 'new', 'new', 'shortlisted', 'declined', 'spam', 'published', 'unconfirmed'];
const ARTICLES = 500;
const LETTERS_PER_WRITER = 10;
const CAMPAIGNS = 200;
/** Letter j is in a campaign when j % CAMPAIGN_EVERY === 3. */
const CAMPAIGN_EVERY = 20;
const CHUNK = 20_000;

function pick<T>(a: T[], i: number): T {
  return a[i % a.length]!;
}

const START = Date.UTC(2025, 0, 1);
const letterId = (j: number) => `${(START + j * 1000).toString(16).padStart(12, '0')}-${String(j).padStart(8, '0')}`;
const writerId = (w: number) => `w${String(w).padStart(7, '0')}`;
/** A campaign's id is its first letter's. */
const campaignOf = (j: number) => (j % CAMPAIGN_EVERY === 3 ? letterId(3 + CAMPAIGN_EVERY * (Math.floor(j / CAMPAIGN_EVERY) % CAMPAIGNS)) : null);

type LetterRow = { id: string; article: string; writer: string; status: string; name: string; body: string; campaign: string | null; at: Date };

function letter(j: number, articles: string[], writers: number): LetterRow {
  const w = j % writers;
  const words = Array.from({ length: 60 }, (_, k) => pick(WORDS, j * 7 + k * 13 + ((k * k) % 5)));
  if (j % 50_000 === 17) words[30] = RARE;
  return { id: letterId(j), article: pick(articles, Math.floor(j / 3)), writer: writerId(w), status: pick(STATUSES, j), name: `Writer ${w}`, body: words.join(' '), campaign: campaignOf(j), at: new Date(START + j * 1000) };
}

const COLS = ['id', 'article_id', 'writer_id', 'status', 'source', 'name', 'town', 'body', 'original', 'word_count', 'consent', 'exclusive', 'spam_reasons', 'flags', 'pow', 'meta', 'campaign_id', 'created_at', 'updated_at'];

async function insertLetters(ctx: AppContext, trx: Trx, rows: LetterRow[]): Promise<void> {
  const m = ctx.db.dialect;
  if (m.name === 'postgres') {
    // One statement a chunk: each column as an array, unnested.
    const cols = (f: (r: LetterRow) => unknown) => rows.map(f);
    const iso = cols((r) => r.at.toISOString());
    await trx.executeQuery(
      CompiledQuery.raw(
        `with t as (select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
           as t(id, article_id, writer_id, status, name, body, campaign_id, at, txt)),
         l as (insert into letters (${COLS.join(', ')})
           select id, article_id, writer_id, status, 'form', name, 'Town', body, body, 60, true, true, '[]'::jsonb, '[]'::jsonb, 'off', '{}'::jsonb, campaign_id, at, at from t)
         insert into letter_search (letter_id, search_vector) select id, to_tsvector('simple', txt) from t`,
        [cols((r) => r.id), cols((r) => r.article), cols((r) => r.writer), cols((r) => r.status), cols((r) => r.name), cols((r) => r.body), cols((r) => r.campaign), iso, cols((r) => searchText({ name: r.name, town: 'Town', subject: null, body: r.body }))],
      ),
    );
    return;
  }
  const per = 800;
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    const params: unknown[] = [];
    for (const r of part) {
      const t = m.time(r.at);
      params.push(r.id, r.article, r.writer, r.status, 'form', r.name, 'Town', r.body, r.body, 60, m.bool(true), m.bool(true), '[]', '[]', 'off', '{}', r.campaign, t, t);
    }
    const one = `(${COLS.map(() => '?').join(', ')})`;
    await trx.executeQuery(CompiledQuery.raw(`insert into letters (${COLS.join(', ')}) values ${part.map(() => one).join(', ')}`, params));
  }
  await m.indexRestoredLetters(trx, rows.map((r) => ({ id: r.id, text: searchText({ name: r.name, town: 'Town', subject: null, body: r.body }) })));
}

/** Articles, writers and letters, in transactions of CHUNK letters; answers the seconds it took. */
async function fill(ctx: AppContext): Promise<number> {
  const t0 = performance.now();
  const { db } = ctx;
  const m = db.dialect;
  const now = m.time(new Date());
  await db.writes.run(async (trx) => {
    for (let i = 0; i < ARTICLES; i += 500) {
      const rows = [];
      for (let a = i; a < Math.min(ARTICLES, i + 500); a++) rows.push({ id: `bench-a${a}`, url: `https://news.example/a${a}`, url_key: `news.example/a${a}`, title: `Article ${a}`, author: null, published_at: now, section: null, body: null, created_at: now, updated_at: now });
      await trx.insertInto('articles').values(rows).execute();
    }
  });
  const articles = (await db.read.selectFrom('articles').select('id').orderBy('id').execute()).map((a) => a.id);
  const writers = Math.max(1, Math.floor(LETTERS / LETTERS_PER_WRITER));
  for (let i = 0; i < writers; i += CHUNK) {
    await db.writes.run(async (trx) => {
      for (let k = i; k < Math.min(writers, i + CHUNK); k += 1000) {
        const rows = [];
        for (let w = k; w < Math.min(writers, i + CHUNK, k + 1000); w++) rows.push({ id: writerId(w), email: `w${w}@bench.example`, email_key: `w${w}@bench.example`, variant_key: `w${w}@bench.example`, name: `Writer ${w}`, town: 'Town', phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: now, updated_at: now });
        await trx.insertInto('writers').values(rows).execute();
      }
    });
  }
  for (let i = 0; i < LETTERS; i += CHUNK) {
    const rows: LetterRow[] = [];
    for (let j = i; j < Math.min(LETTERS, i + CHUNK); j++) rows.push(letter(j, articles, writers));
    await db.writes.run((trx) => insertLetters(ctx, trx, rows));
  }
  // PostgreSQL's autovacuum would have read the tables by now; SQLite's statistics are only what ANALYZE leaves, and a desk never runs it.
  if (db.dialect.name === 'postgres') await db.writes.run((trx) => sql`analyze`.execute(trx));
  return (performance.now() - t0) / 1000;
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
  const label = `desk ${LETTERS >= 1_000_000 && LETTERS % 1_000_000 === 0 ? `${LETTERS / 1_000_000}M` : LETTERS.toLocaleString('en')} ${dialect}`;
  try {
    const seconds = await fill(ctx);
    const app = await buildHttpServer(ctx, allRoutes(ctx));
    await app.ready();
    const { token } = await createApiToken(ctx, 'editor', 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const get = async (url: string) => {
      const r = await app.inject({ method: 'GET', url, headers });
      if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
      return r.json() as { items?: { id: string }[]; nextCursor?: string | null };
    };
    // The cursor of a page 10,000 letters deep into the "new" tab: the id of
    // the tab's 10,000th letter, read directly (walking 200 pages would take
    // longer than the measurement).
    const deep = await ctx.db.read.selectFrom('letters').select('id').where('status', '=', 'new').orderBy('id', 'desc').offset(9_999).limit(1).executeTakeFirstOrThrow();
    const article = 'bench-a7';
    const writerLetter = letterId(Math.floor(LETTERS / 2) + 1);
    const campaign = campaignOf(3 + CAMPAIGN_EVERY * 17)!;
    const cases: [string, string, number][] = [
      ['first page of a tab', '/api/v1/letters?status=new&limit=50', 50],
      ['page 10,000 letters deep', `/api/v1/letters?status=new&limit=50&cursor=${deep.id}`, 50],
      ['one article and status', `/api/v1/letters?status=shortlisted&article=${article}&limit=50`, 1],
      ['tab counts', '/api/v1/queue/counts?status=new', 0],
      ['search, common word', '/api/v1/letters?q=council&limit=50', 50],
      ['search, rare word', `/api/v1/letters?q=${RARE}&limit=50`, 1],
      // A search within a tab, as the desk asks from an open tab.
      ['search in a tab, common word', '/api/v1/letters?status=new&q=council&limit=50', 50],
      ["writer's earlier letters", `/api/v1/letters/${writerLetter}/context`, 0],
      ["campaign's members", `/api/v1/letters?campaign=${campaign}&limit=50`, 1],
    ];
    const note = `${LETTERS.toLocaleString('en')} letters (filled in ${seconds.toFixed(0)} s), ${RUNS} requests, server time (inject); aim p99 ≤ 50 ms`;
    const rows: Row[] = [{ name: `${label}: fill`, value: Number(seconds.toFixed(1)), unit: 's', note: `${LETTERS.toLocaleString('en')} letters, ${ARTICLES} articles, ${writers(LETTERS)} writers, ${CAMPAIGNS} campaigns` }];
    for (const [name, url, least] of cases) {
      // A case that finds nothing measures nothing: each must answer something.
      const first = await get(url);
      if (first.items && first.items.length < least) throw new Error(`${name}: ${first.items.length} letters, expected at least ${least}`);
      for (let i = 0; i < 10; i++) await get(url);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await get(url);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      rows.push({ name: `${label}: ${name} p99`, value: Number(percentile(times, 99).toFixed(2)), unit: 'ms', note: `p50 ${percentile(times, 50).toFixed(2)} ms; ${note}` });
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

const writers = (letters: number) => Math.max(1, Math.floor(letters / LETTERS_PER_WRITER)).toLocaleString('en');

export async function benchDesk(): Promise<Row[]> {
  const rows: Row[] = [];
  if (process.env.BENCH_DB !== 'postgres') rows.push(...(await measure('sqlite')));
  if (process.env.BENCH_DB === 'sqlite') return rows;
  try {
    rows.push(...(await measure('postgres')));
  } catch (err) {
    rows.push({ name: 'desk postgres', value: NaN, unit: 'ms', note: `skipped: ${(err as Error).message}` });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchDesk()) console.log(`${r.name.padEnd(60)} ${String(r.value).padStart(9)} ${r.unit}  ${r.note ?? ''}`);
}
