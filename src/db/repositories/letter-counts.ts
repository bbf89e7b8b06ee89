// The queue's counters: letters per article, campaign and status, as the
// triggers of migration 0900 keep them (in the statement that changes a
// letter: intake, the desk's actions, screening's campaigns, erasure,
// retention, restore, and any raw statement alike).
import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

export type LetterCount = { articleId: string | null; campaignId: string | null; status: string; n: number };

const toCount = (db: Db, r: { article_key: string; campaign_key: string; status: string; n: unknown }): LetterCount => ({
  articleId: r.article_key === '' ? null : r.article_key,
  campaignId: r.campaign_key === '' ? null : r.campaign_key,
  status: r.status,
  n: db.dialect.readInt(r.n),
});

/** Every (article, campaign, status) with letters, from the counters: a few rows per key, not a row per letter. */
export async function letterCounts(db: Db, ex: Reader = db.read): Promise<LetterCount[]> {
  const rows = await ex
    .selectFrom('letter_counts')
    .select(['article_key', 'campaign_key', 'status', (e) => e.fn.sum<number>('n').as('n')])
    .groupBy(['article_key', 'campaign_key', 'status'])
    .having((e) => e.fn.sum('n'), '<>', 0)
    .execute();
  return rows.map((r) => toCount(db, r));
}

/** The same figures counted from the letters themselves (what the counters must equal; a check, not for the desk). */
export async function letterCountsInFull(db: Db, ex: Reader = db.read): Promise<LetterCount[]> {
  const rows = await ex
    .selectFrom('letters')
    .select([sql<string>`coalesce(article_id, '')`.as('article_key'), sql<string>`coalesce(campaign_id, '')`.as('campaign_key'), 'status', (e) => e.fn.countAll().as('n')])
    .groupBy([sql`coalesce(article_id, '')`, sql`coalesce(campaign_id, '')`, 'status'])
    .execute();
  return rows.map((r) => toCount(db, r));
}

/** Counts every letter again (after a restore, which inserts rows in bulk). */
export async function recountLetters(ex: Trx): Promise<void> {
  await ex.deleteFrom('letter_counts').execute();
  await sql`insert into letter_counts (slot, article_key, campaign_key, status, n)
    select 0, coalesce(article_id, ''), coalesce(campaign_id, ''), status, count(*) from letters
    group by coalesce(article_id, ''), coalesce(campaign_id, ''), status`.execute(ex);
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
