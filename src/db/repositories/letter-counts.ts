// The queue's counters: letters per article and status, and per campaign and
// status, as the triggers of migration 0900 keep them (in the statement that
// changes a letter: intake, the desk's actions, screening's campaigns,
// erasure, retention, restore, and any raw statement alike).
import { sql, type Kysely } from 'kysely';
import type { Db } from '../connect.ts';
import type { Reader } from '../executor.ts';

/** Letters of one article (null: unmatched) or one campaign, in one status. */
export type LetterCount = { dimension: 'article' | 'campaign'; key: string | null; status: string; n: number };

const toCount = (db: Db, r: { dimension: string; key: string; status: string; n: unknown }): LetterCount => ({
  dimension: r.dimension === 'campaign' ? 'campaign' : 'article',
  key: r.key === '' ? null : r.key,
  status: r.status,
  n: db.dialect.readInt(r.n),
});

/**
 * Every article and campaign with letters, by status, from the counters: a
 * few rows a key, not a row a letter. The slots of a key are summed here, not
 * by the database: they are few (the folded slot and the connections that
 * wrote since), and PostgreSQL's grouping of 2,600 keys took longer than
 * sending them (8 ms against 3).
 */
export async function letterCounts(db: Db, ex: Reader = db.read): Promise<LetterCount[]> {
  const rows = await ex.selectFrom('letter_counts').select(['dimension', 'key', 'status', 'n']).where('n', '<>', 0).execute();
  const sums = new Map<string, LetterCount>();
  for (const r of rows) {
    const id = `${r.dimension}\u0000${r.key}\u0000${r.status}`;
    const seen = sums.get(id);
    if (seen) seen.n += db.dialect.readInt(r.n);
    else sums.set(id, toCount(db, r));
  }
  return [...sums.values()].filter((c) => c.n !== 0);
}

/** Letters in each status, summed by the database over the articles' counters (every letter counts under its article or none): a row a status. */
export async function statusTotals(db: Db): Promise<Record<string, number>> {
  const rows = await db.read.selectFrom('letter_counts').select(['status', (e) => e.fn.sum<number>('n').as('n')]).where('dimension', '=', 'article').groupBy('status').execute();
  const totals: Record<string, number> = {};
  for (const r of rows) {
    const n = db.dialect.readInt(r.n);
    if (n !== 0) totals[r.status] = n;
  }
  return totals;
}

/** A key of the counters with its letters in one status (or all: `letters` is then `total`), and how many keys have such letters in all. */
export type CountedKey = { key: string; letters: number; total: number; keys: number };

/**
 * The counters' keys of one dimension that have letters in `status` (null:
 * any), grouped by the database, `limit` of them in the given order, each
 * with how many keys there are in all (counted before the limit): the desk
 * lists a bounded number of articles and campaigns however many have letters.
 */
export function countedKeys(db: Db, dimension: 'article' | 'campaign', status: string | null, order: 'most letters' | 'newest', limit: number) {
  const inStatus = status === null ? sql<number>`sum(n)` : sql<number>`sum(case when status = ${status} then n else 0 end)`;
  const grouped = db.read
    .selectFrom('letter_counts')
    .select(['key', inStatus.as('letters'), sql<number>`sum(n)`.as('total'), sql<number>`count(*) over ()`.as('keys')])
    .where('dimension', '=', dimension)
    .groupBy('key')
    .having(inStatus, '<>', 0);
  return (order === 'newest' ? grouped.orderBy('key', 'desc') : grouped.orderBy('letters', 'desc').orderBy('key')).limit(limit);
}

/** A counted key's figures as numbers (PostgreSQL sums to bigint, sent as text). */
export const readCountedKey = (db: Db, r: { key: string; letters: unknown; total: unknown; keys: unknown }): CountedKey => ({
  key: r.key,
  letters: db.dialect.readInt(r.letters),
  total: db.dialect.readInt(r.total),
  keys: db.dialect.readInt(r.keys),
});

/** The articles with the most letters in `status` (null: any), each with its title; article null stands for letters matched to none. */
export async function articlesWithLetters(db: Db, status: string | null, limit: number): Promise<{ items: { id: string | null; title: string | null; letters: number; total: number }[]; all: number }> {
  // The titles after the limit, a look-up by id each (joined before it, PostgreSQL scanned every article).
  const rows = await db.read
    .selectFrom(countedKeys(db, 'article', status, 'most letters', limit).as('k'))
    .select(['k.key', 'k.letters', 'k.total', 'k.keys', (e) => e.selectFrom('articles').select('title').whereRef('articles.id', '=', 'k.key').as('title')])
    .execute();
  const items = rows.map((r) => ({ row: readCountedKey(db, r), title: r.title }));
  items.sort((x, y) => y.row.letters - x.row.letters || (x.row.key < y.row.key ? -1 : x.row.key > y.row.key ? 1 : 0));
  return {
    items: items.map(({ row, title }) => ({ id: row.key === '' ? null : row.key, title: title ?? null, letters: row.letters, total: row.total })),
    all: items[0]?.row.keys ?? 0,
  };
}

/** How many letters (not spam) each of these articles has, from the counters (an index by key, migration 0960); an article without such letters is left out. */
export async function articleLettersNotSpam(db: Db, articleIds: string[], ex: Reader = db.read): Promise<Map<string, number>> {
  if (!articleIds.length) return new Map();
  const rows = await ex
    .selectFrom('letter_counts')
    .select(['key', (e) => e.fn.sum<number>('n').as('n')])
    .where('dimension', '=', 'article')
    .where('key', 'in', articleIds)
    .where('status', '!=', 'spam')
    .groupBy('key')
    .execute();
  return new Map(rows.map((r) => [r.key, db.dialect.readInt(r.n)] as const).filter(([, n]) => n > 0));
}

const fullCount = (k: Kysely<any>) =>
  sql<{ dimension: string; key: string; status: string; n: unknown }>`
    select 'article' as dimension, coalesce(article_id, '') as key, status, count(*) as n from letters group by coalesce(article_id, ''), status
    union all
    select 'campaign', campaign_id, status, count(*) from letters where campaign_id is not null group by campaign_id, status`.execute(k);

/** The same figures counted from the letters themselves (what the counters must equal; a check, not for the desk). */
export async function letterCountsInFull(db: Db, ex: Reader = db.read): Promise<LetterCount[]> {
  return (await fullCount(ex as Kysely<any>)).rows.map((r) => toCount(db, r));
}

/** Folds the slots of connections that have gone into one row per key (a timer in app.ts; the sums never change). */
export async function foldLetterCounts(db: Db): Promise<void> {
  await db.writes.run((trx) => db.dialect.foldLetterCounts(trx));
}

/** How many slots the counters are spread over (PostgreSQL: one per connection that changed letters and has not been folded yet). */
export async function letterCountSlots(db: Db): Promise<number> {
  const r = await db.read.selectFrom('letter_counts').select((e) => e.fn.count<number>('slot').distinct().as('n')).executeTakeFirstOrThrow();
  return db.dialect.readInt(r.n);
}
