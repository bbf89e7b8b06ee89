// Published letters as the public sees them: the text, headline, name and
// town fixed at publication, newest first. Nothing here reads the writer's
// address or unpublished text.
import { uuidv7 } from '../../util/random.ts';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

export type PublishedLetter = {
  id: string;
  articleId: string | null;
  articleTitle: string | null;
  articleUrl: string | null;
  headline: string | null;
  displayName: string;
  town: string | null;
  body: string;
  publishedAt: Date;
  updatedAt: Date;
  replies: AuthorReply[];
};

export type AuthorReply = { id: string; letterId: string; authorName: string; body: string; createdAt: Date };

export async function setPublishedFields(db: Db, ex: Trx, id: string, f: { body: string; town: string | null; displayName: string; headline: string | null }): Promise<void> {
  await ex
    .updateTable('letters')
    .set({ published_body: f.body, published_town: f.town, display_name: f.displayName, headline: f.headline, updated_at: db.dialect.time(new Date()) })
    .where('id', '=', id)
    .execute();
}

export type PublishedFilter = { id?: string; articleId?: string; from?: Date; to?: Date; limit: number; offset?: number };

export async function listPublished(db: Db, f: PublishedFilter): Promise<PublishedLetter[]> {
  let q = db.read
    .selectFrom('letters')
    .leftJoin('articles', 'articles.id', 'letters.article_id')
    .select([
      'letters.id',
      'letters.article_id',
      'letters.headline',
      'letters.display_name',
      'letters.published_town',
      'letters.published_body',
      'letters.published_at',
      'letters.updated_at',
      'articles.title as article_title',
      'articles.url as article_url',
    ])
    .where('letters.status', '=', 'published')
    .where('letters.published_body', 'is not', null);
  if (f.id) q = q.where('letters.id', '=', f.id);
  if (f.articleId) q = q.where('letters.article_id', '=', f.articleId);
  if (f.from) q = q.where('letters.published_at', '>=', db.dialect.time(f.from));
  if (f.to) q = q.where('letters.published_at', '<', db.dialect.time(f.to));
  const rows = await q.orderBy('letters.published_at', 'desc').orderBy('letters.id', 'desc').limit(f.limit).offset(f.offset ?? 0).execute();
  const replies = await repliesFor(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    articleTitle: r.article_title ?? null,
    articleUrl: r.article_url ?? null,
    headline: r.headline,
    displayName: r.display_name ?? 'Name withheld',
    town: r.published_town,
    body: r.published_body ?? '',
    publishedAt: db.dialect.readTime(r.published_at),
    updatedAt: db.dialect.readTime(r.updated_at),
    replies: replies.get(r.id) ?? [],
  }));
}

export async function countPublished(db: Db, articleId?: string): Promise<number> {
  let q = db.read.selectFrom('letters').select((e) => e.fn.countAll().as('n')).where('status', '=', 'published');
  if (articleId) q = q.where('article_id', '=', articleId);
  return db.dialect.readInt((await q.executeTakeFirstOrThrow()).n);
}

async function repliesFor(db: Db, letterIds: string[]): Promise<Map<string, AuthorReply[]>> {
  const out = new Map<string, AuthorReply[]>();
  if (!letterIds.length) return out;
  const rows = await db.read.selectFrom('author_replies').selectAll().where('letter_id', 'in', letterIds).orderBy('id').execute();
  for (const r of rows) {
    const list = out.get(r.letter_id) ?? [];
    list.push({ id: r.id, letterId: r.letter_id, authorName: r.author_name, body: r.body, createdAt: db.dialect.readTime(r.created_at) });
    out.set(r.letter_id, list);
  }
  return out;
}

export async function insertAuthorReply(db: Db, ex: Trx, r: { letterId: string; authorName: string; body: string }): Promise<string> {
  const id = uuidv7();
  await ex.insertInto('author_replies').values({ id, letter_id: r.letterId, author_name: r.authorName, body: r.body, created_at: db.dialect.time(new Date()) }).execute();
  return id;
}

/** Letters scheduled for a time that has come (the scheduler's sweep). */
export async function dueScheduledIds(db: Db, now: Date): Promise<string[]> {
  const rows = await db.read.selectFrom('letters').select('id').where('status', '=', 'scheduled').where('scheduled_at', '<=', db.dialect.time(now)).limit(100).execute();
  return rows.map((r) => r.id);
}
