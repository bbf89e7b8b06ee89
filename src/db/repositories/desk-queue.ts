// Queries the desk needs beside the letters API: articles' titles and
// campaigns' names for the counts, and a writer's other letters.
import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import { inChunks } from '../chunks.ts';

/** Articles' titles by id (for the queue's counts, which the counters give by article id). */
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
/** The start of a letter's text a name reads, one character past what it keeps (to tell whether the text goes on). */
const namingText = (body: 'body' | 'letters.body') => sql<string>`substr(${sql.ref(body)}, 1, ${sql.lit(NAMING_CHARS + 1)})`;

/** The first letters of these campaigns by id (a campaign's id is its first letter's, which names it). */
export async function letterSubjects(db: Db, ids: string[]): Promise<Map<string, NamingLetter>> {
  const found = new Map<string, NamingLetter>();
  await inChunks(ids, async (chunk) => {
    const rows = await db.read.selectFrom('letters').select(['id', 'subject', namingText('body').as('text')]).where('id', 'in', chunk).execute();
    for (const l of rows) found.set(l.id, naming(l.subject, l.text));
  });
  return found;
}

/**
 * The newest `limit` campaigns the counters hold letters for (by id: a
 * campaign's id is its first letter's, which names it), each with its first
 * letter, or null when that letter is gone (retention, erasure). Read beside
 * the counts, from the counters' own keys: a campaign whose counters sum to
 * nothing (merged away) takes no place.
 */
export async function countedCampaignFirsts(db: Db, limit: number): Promise<Map<string, NamingLetter | null>> {
  const rows = await db.read
    .selectFrom((qb) =>
      qb.selectFrom('letter_counts').select('key').where('dimension', '=', 'campaign').groupBy('key').having((e) => e.fn.sum('n'), '<>', 0).orderBy('key', 'desc').limit(limit).as('k'),
    )
    .leftJoin('letters', 'letters.id', 'k.key')
    .select(['k.key', 'letters.id', 'letters.subject', namingText('letters.body').as('text')])
    .execute();
  return new Map(rows.map((r) => [r.key, r.id ? naming(r.subject, r.text ?? '') : null]));
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
