// Screening storage: campaign records and spam lessons (append-only logs read
// by position), the label each letter teaches, per-letter screening details,
// and the few letter/article reads the screening job needs.
import type { Selectable } from 'kysely';
import type { Db } from '../connect.ts';
import type { ArticleTable } from '../schema.ts';
import { toArticle, type Article } from './articles.ts';
import type { Reader, Trx } from '../executor.ts';
import { appendAtBatchEnd } from '../batch.ts';
import { upsertRows } from '../insert-rows.ts';

/**
 * Serialises screening writes on PostgreSQL, so that log positions are taken
 * in commit order and a reader that has seen position N has seen all before
 * it. SQLite has one writer already.
 */
export async function lockScreening(db: Db, ex: Trx, what: 'campaigns' | 'spam'): Promise<void> {
  await db.dialect.lockForTransaction(ex, what === 'campaigns' ? 51_000_501 : 51_000_502);
}

// --- campaign records ------------------------------------------------------

type RecordRow = { letter_id: string; record: unknown; created_at: unknown; positioned(seq: number): void };

/**
 * Appends a letter's campaign record to the log; `positioned` hears its
 * position once it has one. In an event processors' round, at the round's
 * end with the round's other records (lockScreening holds the log meanwhile,
 * so positions still follow commit order).
 */
export async function appendCampaignRecord(db: Db, ex: Trx, letterId: string, record: unknown, positioned: (seq: number) => void): Promise<void> {
  const row: RecordRow = { letter_id: letterId, record: db.dialect.json(record), created_at: db.dialect.time(new Date()), positioned };
  if (appendAtBatchEnd(ex, 'campaign_records', 'campaign_records', [row], (trx, rows) => insertCampaignRecords(db, trx, rows as RecordRow[]))) return;
  await insertCampaignRecords(db, ex, [row]);
}

async function insertCampaignRecords(db: Db, ex: Trx, rows: RecordRow[]): Promise<void> {
  for (let at = 0; at < rows.length; at += 200) {
    const chunk = rows.slice(at, at + 200);
    const stored = await ex
      .insertInto('campaign_records')
      .values(chunk.map((r) => ({ letter_id: r.letter_id, record: r.record as never, created_at: r.created_at as never })))
      .returning(['letter_id', 'seq'])
      .execute();
    const seqOf = new Map(stored.map((s) => [s.letter_id, db.dialect.readInt(s.seq)]));
    for (const r of chunk) r.positioned(seqOf.get(r.letter_id)!);
  }
}

/** What the log holds in a removed letter's place: its id, so that every node's index drops it too. */
export type CampaignRemoval = { removed: string };

/** Removes a letter's campaign record (its text's signatures) and logs the removal; false when it had none. */
export async function removeCampaignRecord(db: Db, ex: Trx, letterId: string): Promise<boolean> {
  const r = await ex.deleteFrom('campaign_records').where('letter_id', '=', letterId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  const removal: CampaignRemoval = { removed: letterId };
  await ex
    .insertInto('campaign_records')
    .values({ letter_id: `removed:${letterId}`, record: db.dialect.json(removal), created_at: db.dialect.time(new Date()) })
    .onConflict((oc) => oc.column('letter_id').doNothing())
    .execute();
  return true;
}

/** Which of these letters have a campaign record (a map to true, for Round.lettersRows). */
export async function lettersWithCampaignRecord(ex: Reader, letterIds: string[]): Promise<Map<string, true>> {
  if (!letterIds.length) return new Map();
  const rows = await ex.selectFrom('campaign_records').select('letter_id').where('letter_id', 'in', letterIds).execute();
  return new Map(rows.map((r) => [r.letter_id, true]));
}

/** Records after a position, in order, a page at a time. */
export async function campaignRecordsAfter<T>(db: Db, ex: Reader, after: number, limit = 5000): Promise<{ seq: number; record: T }[]> {
  const rows = await ex.selectFrom('campaign_records').select(['seq', 'record']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: db.dialect.readInt(r.seq), record: db.dialect.readJson<T>(r.record, null as T) }));
}

// --- spam lessons ----------------------------------------------------------

export type SpamLesson = { seq: number; label: 'spam' | 'ham'; delta: 1 | -1; text: string };

export async function appendSpamLesson(db: Db, ex: Trx, letterId: string, label: 'spam' | 'ham', delta: 1 | -1, text: string): Promise<void> {
  await ex.insertInto('spam_lessons').values({ letter_id: letterId, label, delta, text, created_at: db.dialect.time(new Date()) }).execute();
}

export async function spamLessonsAfter(db: Db, ex: Reader, after: number, limit = 5000): Promise<SpamLesson[]> {
  const rows = await ex.selectFrom('spam_lessons').select(['seq', 'label', 'delta', 'text']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: db.dialect.readInt(r.seq), label: r.label === 'spam' ? 'spam' : 'ham', delta: db.dialect.readInt(r.delta) < 0 ? -1 : 1, text: r.text }));
}

export async function getSpamLabel(ex: Reader, letterId: string): Promise<'spam' | 'ham' | null> {
  const r = await ex.selectFrom('spam_labels').select('label').where('letter_id', '=', letterId).executeTakeFirst();
  return r ? (r.label as 'spam' | 'ham') : null;
}

export async function setSpamLabel(ex: Trx, letterId: string, label: 'spam' | 'ham'): Promise<void> {
  const k = ex;
  const done = await k.updateTable('spam_labels').set({ label }).where('letter_id', '=', letterId).executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) await k.insertInto('spam_labels').values({ letter_id: letterId, label }).execute();
}

// --- per-letter details ------------------------------------------------------

export type LetterScreening = {
  candidates: { articleId: string; method: string; confidence: number; title?: string }[];
  similarTo: { letterId: string; similarity: number }[];
  details: Record<string, unknown>;
  screenedAt: Date;
};

/** A letter's screening details, replacing earlier ones; in an event processors' round, at its end. */
export async function saveLetterScreening(db: Db, ex: Trx, letterId: string, v: Omit<LetterScreening, 'screenedAt'>): Promise<void> {
  await upsertRows(db, ex, 'letter_screening', 'letter_id', [{ letter_id: letterId, candidates: db.dialect.json(v.candidates), similar_to: db.dialect.json(v.similarTo), details: db.dialect.json(v.details), screened_at: db.dialect.time(new Date()) }]);
}

export async function findLetterScreenings(db: Db, letterIds: string[]): Promise<Map<string, LetterScreening>> {
  if (letterIds.length === 0) return new Map();
  const rows = await db.read.selectFrom('letter_screening').selectAll().where('letter_id', 'in', letterIds).execute();
  return new Map(
    rows.map((r) => [
      r.letter_id,
      {
        candidates: db.dialect.readJson(r.candidates, []),
        similarTo: db.dialect.readJson(r.similar_to, []),
        details: db.dialect.readJson(r.details, {}),
        screenedAt: db.dialect.readTime(r.screened_at),
      },
    ]),
  );
}

// --- reads for the job -------------------------------------------------------

/**
 * For each of these letters, when the latest other letter by any address
 * variant of its writer arrived, up to its own arrival (for the "one letter
 * per so many days" rule); letters with none are left out. One statement
 * for any number of letters, led by the writer index whatever the planner
 * knows: a burst on a new desk outruns PostgreSQL's statistics, and a join
 * on the variant then scanned every letter, once per letter (159 ms for 25
 * letters among 30,000 without statistics). Each variant's latest letter is
 * its own subquery, newest first and one row, which only the index answers
 * well. (It was three statements; on PostgreSQL each is a round trip, and
 * they took 10 ms of a round under load.)
 */
export async function latestEarlierLetterByVariant(db: Db, ex: Reader, letterIds: string[]): Promise<Map<string, Date>> {
  if (!letterIds.length) return new Map();
  const rows = await ex
    .selectFrom('letters as l')
    .innerJoin('writers as w', 'w.id', 'l.writer_id')
    .select((eb) => [
      'l.id',
      eb
        .selectFrom('writers as s')
        // Writer s's latest letter other than l and not after it.
        .select((e) =>
          e.fn
            .max(e.selectFrom('letters as p').select('p.created_at').whereRef('p.writer_id', '=', 's.id').whereRef('p.created_at', '<=', 'l.created_at').whereRef('p.id', '<>', 'l.id').orderBy('p.created_at', 'desc').limit(1))
            .as('at'),
        )
        .whereRef('s.variant_key', '=', 'w.variant_key')
        .as('previous'),
    ])
    .where('l.id', 'in', letterIds)
    .execute();
  return new Map(rows.flatMap((r) => (r.previous ? [[r.id, db.dialect.readTime(r.previous)] as const] : [])));
}

export type ArticleRow = Omit<Article, 'createdAt'> & { updatedAt: Date };

const INDEXED_COLUMNS = ['id', 'url', 'title', 'author', 'published_at', 'section', 'body', 'created_at', 'updated_at'] as const;

function toArticleRow(db: Db, r: Pick<Selectable<ArticleTable>, (typeof INDEXED_COLUMNS)[number]>): ArticleRow {
  const { createdAt: _createdAt, ...article } = toArticle(db, r);
  return { ...article, updatedAt: db.dialect.readTime(r.updated_at) };
}

/** Every article, for building the matching index. */
export async function allArticlesForIndex(db: Db, ex: Reader): Promise<ArticleRow[]> {
  return (await ex.selectFrom('articles').select(INDEXED_COLUMNS).execute()).map((r) => toArticleRow(db, r));
}

export async function articlesForIndex(db: Db, ex: Reader, ids: string[]): Promise<ArticleRow[]> {
  if (!ids.length) return [];
  return (await ex.selectFrom('articles').select(INDEXED_COLUMNS).where('id', 'in', ids).execute()).map((r) => toArticleRow(db, r));
}

/** Which articles changed at or after a time (all of them without one), without their text. */
export async function articleVersionsSince(db: Db, ex: Reader, since: Date | null): Promise<{ id: string; updatedAt: Date }[]> {
  let q = ex.selectFrom('articles').select(['id', 'updated_at']);
  if (since) q = q.where('updated_at', '>=', db.dialect.time(since));
  return (await q.execute()).map((r) => ({ id: r.id, updatedAt: db.dialect.readTime(r.updated_at) }));
}

export async function countAllArticles(db: Db, ex: Reader): Promise<number> {
  const r = await ex.selectFrom('articles').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return db.dialect.readInt(r.n);
}
