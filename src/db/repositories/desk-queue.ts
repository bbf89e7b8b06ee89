// Queries the desk needs beside the letters API: articles' titles, the
// campaigns the queue lists and names, and a writer's other letters.
import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import { inChunks } from '../chunks.ts';
import { countedKeys, keyTotal, readCountedKey } from './letter-counts.ts';

/** Articles' titles by id (for a page of letters and a letter's page, which carry their article's title). */
export async function articleTitles(db: Db, ids: string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  await inChunks(ids, async (chunk) => {
    for (const a of await db.read.selectFrom('articles').select(['id', 'title']).where('id', 'in', chunk).execute()) titles.set(a.id, a.title);
  });
  return titles;
}

/** Of a letter's text, what names a campaign needs: its first eight words, in 600 characters unless the words are very long. */
const NAMING_CHARS = 600;

/** A campaign's first letter as its name needs it: the subject, the start of the text, and whether the text goes on past it. */
export type NamingLetter = { subject: string | null; start: string; cut: boolean };

const naming = (subject: string | null, text: string): NamingLetter => ({ subject, start: text.slice(0, NAMING_CHARS), cut: text.length > NAMING_CHARS });
/** A campaign's first letter from a row joined to it (`letters.id` null: that letter is gone). */
const firstLetter = (r: { id: string | null; subject: string | null; text: string | null }): NamingLetter | null => (r.id ? naming(r.subject, r.text ?? '') : null);
/** The start of a letter's text a name reads, one character past what it keeps (to tell whether the text goes on). */
const namingText = (body: 'body' | 'letters.body') => sql<string>`substr(${sql.ref(body)}, 1, ${sql.lit(NAMING_CHARS + 1)})`;

/** A campaign as the desk lists it: its first letter (null when gone: retention, erasure), letters in the status asked and in all. */
export type ListedCampaign = { id: string; first: NamingLetter | null; letters: number; total: number };

/** How many campaigns beyond the listed ones are counted at most: past it the desk says "more than" (counting them all would group every campaign with letters in the tab). */
export const MORE_CAMPAIGNS_COUNTED = 1000;

/**
 * The newest `limit` campaigns with letters in `statuses` (null: any), by id
 * (a campaign's id is its first letter's, which names it), newest first, each
 * with its total and that first letter read in the same statement; and how
 * many more there are, up to `counted` (`moreThan`: more than that). With one status, both walk the counters' index by status and key
 * from the newest and stop at their limit.
 */
export async function campaignsWithLetters(db: Db, statuses: readonly string[] | null, limit: number, counted = MORE_CAMPAIGNS_COUNTED): Promise<{ items: ListedCampaign[]; more: number; moreThan: boolean }> {
  const newest = (n: number) => countedKeys(db, 'campaign', statuses).orderBy('key', 'desc').limit(n);
  const [rows, beyond] = await Promise.all([
    db.read
      .selectFrom(newest(limit).as('k'))
      .leftJoin('letters', 'letters.id', 'k.key')
      .select(['k.key', 'k.letters', keyTotal('campaign'), 'letters.id', 'letters.subject', namingText('letters.body').as('text')])
      .orderBy('k.key', 'desc')
      .execute(),
    db.read.selectFrom(newest(limit + counted + 1).as('c')).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.map((r) => {
    const { key, letters, total } = readCountedKey(db, r);
    return { id: key, first: firstLetter(r), letters, total };
  });
  const more = Math.max(0, db.dialect.readInt(beyond.n) - items.length);
  return { items, more: Math.min(more, counted), moreThan: more > counted };
}

/** These campaigns (the ones on a page of the queue) with their letters by status and their first letter, from the counters' index by key. */
export async function campaignsByIds(db: Db, ids: string[]): Promise<Map<string, { first: NamingLetter | null; byStatus: Record<string, number> }>> {
  const found = new Map<string, { first: NamingLetter | null; byStatus: Record<string, number> }>();
  await inChunks([...new Set(ids)], async (chunk) => {
    const rows = await db.read
      .selectFrom('letter_counts as k')
      .leftJoin('letters', 'letters.id', 'k.key')
      .select(['k.key', 'k.status', 'k.n', 'letters.id', 'letters.subject', namingText('letters.body').as('text')])
      .where('k.dimension', '=', 'campaign')
      .where('k.key', 'in', chunk)
      .execute();
    for (const r of rows) {
      const c = found.get(r.key) ?? { first: firstLetter(r), byStatus: {} };
      c.byStatus[r.status] = (c.byStatus[r.status] ?? 0) + db.dialect.readInt(r.n);
      found.set(r.key, c);
    }
  });
  // A status whose slots sum to nothing is not one the campaign has letters in.
  for (const c of found.values()) for (const [s, n] of Object.entries(c.byStatus)) if (n === 0) delete c.byStatus[s];
  return found;
}

export type WriterLetter = { id: string; status: string; articleId: string | null; articleTitle: string | null; subject: string | null; createdAt: Date; publishedAt: Date | null };

export async function lettersOfWriter(db: Db, writerId: string, limit: number): Promise<WriterLetter[]> {
  const rows = await db.read
    .selectFrom('letters')
    .leftJoin('articles', 'articles.id', 'letters.article_id')
    .select(['letters.id', 'letters.status', 'letters.article_id', 'articles.title', 'letters.subject', 'letters.created_at', 'letters.published_at'])
    .where('letters.writer_id', '=', writerId)
    .orderBy('letters.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    articleId: r.article_id,
    articleTitle: r.title,
    subject: r.subject,
    createdAt: db.dialect.readTime(r.created_at),
    publishedAt: db.dialect.readTimeOrNull(r.published_at),
  }));
}
