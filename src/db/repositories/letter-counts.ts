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

/** A key of the counters with its letters in the statuses asked (or all: `letters` is then `total`). */
export type CountedKey = { key: string; letters: number; total: number };

/**
 * The counters' keys of one dimension with letters in `statuses` (null: any),
 * grouped by the database from those statuses' rows alone (the index by
 * dimension, status and key, migration 0980): `letters` only; a key's total
 * is `keyTotal`'s, for the few keys listed.
 */
export function countedKeys(db: Db, dimension: 'article' | 'campaign', statuses: readonly string[] | null) {
  let q = db.read.selectFrom('letter_counts').select(['key', sql<number>`sum(n)`.as('letters')]).where('dimension', '=', dimension);
  if (statuses) q = q.where('status', 'in', [...statuses]);
  return q.groupBy('key').having(sql`sum(n)`, '<>', 0);
}

/** A listed key's letters in all statuses, looked up by key (the counters' index by key) from a query over `k`. */
export const keyTotal = (dimension: 'article' | 'campaign') =>
  sql<number>`(select sum(t.n) from letter_counts t where t.dimension = ${dimension} and t.key = k.key)`.as('total');

/** A counted key's figures as numbers (PostgreSQL sums to bigint, sent as text). */
export const readCountedKey = (db: Db, r: { key: string; letters: unknown; total: unknown }): CountedKey => ({
  key: r.key,
  letters: db.dialect.readInt(r.letters),
  total: db.dialect.readInt(r.total),
});

export type ListedArticle = { id: string | null; title: string | null; letters: number; total: number };

/**
 * The `limit` articles with the most letters in `statuses` (null: any), most
 * first (then by id), each with its title, and how many articles have such
 * letters in all; article null stands for letters matched to none. Every
 * article with letters is grouped to find the most (a row per article and
 * status), but only the listed ones are looked up.
 */
export async function articlesWithLetters(db: Db, statuses: readonly string[] | null, limit: number): Promise<{ items: ListedArticle[]; all: number }> {
  const top = countedKeys(db, 'article', statuses).select(sql<number>`count(*) over ()`.as('keys')).orderBy('letters', 'desc').orderBy('key').limit(limit);
  // The titles and totals after the limit, a look-up by id each (joined before it, PostgreSQL scanned every article).
  const rows = await db.read
    .selectFrom(top.as('k'))
    .select(['k.key', 'k.letters', 'k.keys', keyTotal('article'), (e) => e.selectFrom('articles').select('title').whereRef('articles.id', '=', 'k.key').as('title')])
    .orderBy('k.letters', 'desc')
    .orderBy('k.key')
    .execute();
  return { items: rows.map((r) => listedArticle(readCountedKey(db, r), r.title)), all: rows.length ? db.dialect.readInt(rows[0]!.keys) : 0 };
}

/** One article (null: letters matched to none) as the filter lists it, also without letters in `statuses`: the one the desk has open. */
export async function oneArticleWithLetters(db: Db, statuses: readonly string[] | null, id: string | null): Promise<ListedArticle> {
  const key = id ?? '';
  const inStatuses = statuses ? sql<number>`sum(case when status in (${sql.join([...statuses])}) then n else 0 end)` : sql<number>`sum(n)`;
  const [counted, article] = await Promise.all([
    db.read.selectFrom('letter_counts').select([inStatuses.as('letters'), sql<number>`sum(n)`.as('total')]).where('dimension', '=', 'article').where('key', '=', key).executeTakeFirst(),
    id === null ? null : db.read.selectFrom('articles').select('title').where('id', '=', id).executeTakeFirst(),
  ]);
  return listedArticle({ key, letters: db.dialect.readInt(counted?.letters), total: db.dialect.readInt(counted?.total) }, article?.title ?? null);
}

const listedArticle = (k: CountedKey, title: string | null): ListedArticle => ({ id: k.key === '' ? null : k.key, title: k.key === '' ? null : title, letters: k.letters, total: k.total });

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

/** Folds the counters' slots into one row per key and drops rows that sum to nothing (a timer in app.ts; the sums never change). */
export async function foldLetterCounts(db: Db): Promise<void> {
  await db.writes.run((trx) => db.dialect.foldLetterCounts(trx));
}

/** How many slots the counters are spread over (PostgreSQL: one per connection that changed letters and has not been folded yet). */
export async function letterCountSlots(db: Db): Promise<number> {
  const r = await db.read.selectFrom('letter_counts').select((e) => e.fn.count<number>('slot').distinct().as('n')).executeTakeFirstOrThrow();
  return db.dialect.readInt(r.n);
}
