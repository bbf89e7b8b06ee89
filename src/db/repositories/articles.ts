// Articles: what letters can be about.
import type { Selectable } from 'kysely';
import type { ArticleTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';

export type Article = {
  id: string;
  url: string;
  title: string;
  author: string | null;
  publishedAt: Date | null;
  section: string | null;
  body: string | null;
  createdAt: Date;
};

export type ArticleInput = Omit<Article, 'createdAt'> & { urlKey: string };

export function toArticle(db: Db, r: Omit<Selectable<ArticleTable>, 'url_key' | 'updated_at'>): Article {
  return {
    id: r.id,
    url: r.url,
    title: r.title,
    author: r.author,
    publishedAt: db.dialect.readTimeOrNull(r.published_at),
    section: r.section,
    body: r.body,
    createdAt: db.dialect.readTime(r.created_at),
  };
}

/** Inserts or updates by id; the URL must not belong to another article. */
export async function upsertArticle(db: Db, a: ArticleInput): Promise<{ article: Article; created: boolean }> {
  return db.writes.run((trx) => upsertArticleIn(db, trx, a));
}

async function upsertArticleIn(db: Db, ex: Trx, a: ArticleInput): Promise<{ article: Article; created: boolean }> {
  const now = db.dialect.time(new Date());
  const existing = await ex.selectFrom('articles').select('id').where('id', '=', a.id).executeTakeFirst();
  const values = {
    url: a.url,
    url_key: a.urlKey,
    title: a.title,
    author: a.author,
    published_at: db.dialect.timeOrNull(a.publishedAt),
    section: a.section,
    body: a.body,
    updated_at: now,
  };
  if (existing) await ex.updateTable('articles').set(values).where('id', '=', a.id).execute();
  else await ex.insertInto('articles').values({ id: a.id, ...values, created_at: now }).execute();
  const row = await ex.selectFrom('articles').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
  return { article: toArticle(db, row), created: !existing };
}

export async function findArticleById(db: Db, id: string, ex: Reader = db.read): Promise<Article | null> {
  const row = await ex.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toArticle(db, row) : null;
}

export async function findArticlesByIds(db: Db, ids: string[], ex: Reader = db.read): Promise<Map<string, Article>> {
  if (!ids.length) return new Map();
  const rows = await ex.selectFrom('articles').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toArticle(db, r)]));
}

export async function findArticleByUrlKey(db: Db, urlKey: string, ex: Reader = db.read): Promise<Article | null> {
  const row = await ex.selectFrom('articles').selectAll().where('url_key', '=', urlKey).executeTakeFirst();
  return row ? toArticle(db, row) : null;
}

/** What forms and intake need of an article. Not its body, nor the columns stored after it: reading those follows the body's overflow pages. */
export type ArticleHead = Omit<Article, 'body' | 'createdAt'>;

const HEAD_COLUMNS = ['id', 'url', 'title', 'author', 'published_at', 'section'] as const;
const headById = compiledQuery((k, id: string) => k.selectFrom('articles').select(HEAD_COLUMNS).where('id', '=', id), 1);
const headByUrlKey = compiledQuery((k, key: string) => k.selectFrom('articles').select(HEAD_COLUMNS).where('url_key', '=', key), 1);

// Every letter through the form or the API looks up its article's head: a
// compiled query on the primary key (or the URL's key), not the body.
export async function findArticleHead(db: Db, by: { id: string } | { urlKey: string }): Promise<ArticleHead | null> {
  const [r] = 'id' in by ? await headById(db, db.read, by.id) : await headByUrlKey(db, db.read, by.urlKey);
  if (!r) return null;
  return { id: r.id, url: r.url, title: r.title, author: r.author, publishedAt: db.dialect.readTimeOrNull(r.published_at), section: r.section };
}

/** Newest first, paged by (published_at, id). */
export async function listArticles(db: Db, opts: { limit: number; offset?: number }): Promise<Article[]> {
  const rows = await db.read
    .selectFrom('articles')
    .selectAll()
    .orderBy('published_at', 'desc')
    .orderBy('id')
    .limit(opts.limit)
    .offset(opts.offset ?? 0)
    .execute();
  return rows.map((r) => toArticle(db, r));
}
