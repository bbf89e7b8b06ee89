// Queries the desk needs beside the letters API: articles' titles and
// campaigns' names for the counts, and a writer's other letters.
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

/** The subject and text of letters by id: a campaign's first letter names it (the queue's counts ask for every campaign's). */
export async function letterSubjects(db: Db, ids: string[]): Promise<Map<string, { subject: string | null; body: string }>> {
  const found = new Map<string, { subject: string | null; body: string }>();
  await inChunks(ids, async (chunk) => {
    for (const l of await db.read.selectFrom('letters').select(['id', 'subject', 'body']).where('id', 'in', chunk).execute()) found.set(l.id, { subject: l.subject, body: l.body });
  });
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
