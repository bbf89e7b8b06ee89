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

/** The titles of the articles the counters hold letters for: asked beside the counts, not after them (the subquery reads the counters' key index). */
export async function countedArticleTitles(db: Db): Promise<Map<string, string>> {
  const rows = await db.read
    .selectFrom('articles')
    .select(['id', 'title'])
    .where('id', 'in', (qb) => qb.selectFrom('letter_counts').select('key').where('dimension', '=', 'article').where('n', '<>', 0))
    .execute();
  return new Map(rows.map((a) => [a.id, a.title]));
}

/** Of a letter's text, what names a campaign needs: its first words (eight of them, in 600 characters unless the words are very long). */
const NAMING_CHARS = 600;

/** The subject and the start of the text of letters by id: a campaign's first letter names it (the queue's counts ask for every campaign's). */
export async function letterSubjects(db: Db, ids: string[]): Promise<Map<string, { subject: string | null; body: string }>> {
  const found = new Map<string, { subject: string | null; body: string }>();
  await inChunks(ids, async (chunk) => {
    const rows = await db.read
      .selectFrom('letters')
      .select(['id', 'subject', sql<string>`substr(body, 1, ${sql.lit(NAMING_CHARS)})`.as('body')])
      .where('id', 'in', chunk)
      .execute();
    for (const l of rows) found.set(l.id, { subject: l.subject, body: l.body });
  });
  return found;
}

/** The first letters (subject, start of the text) of the newest `limit` campaigns the counters hold: a campaign's id is its first letter's, which names it. */
export async function countedCampaignFirsts(db: Db, limit: number): Promise<Map<string, { subject: string | null; body: string }>> {
  const rows = await db.read
    .selectFrom('letters')
    .select(['id', 'subject', sql<string>`substr(body, 1, ${sql.lit(NAMING_CHARS)})`.as('body')])
    .where('id', 'in', (qb) => qb.selectFrom('letter_counts').select('key').distinct().where('dimension', '=', 'campaign').where('n', '<>', 0).orderBy('key', 'desc').limit(limit))
    .execute();
  return new Map(rows.map((l) => [l.id, { subject: l.subject, body: l.body }]));
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
