// Saving an article from the API, the JSONL import or the demo data.
import crypto from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { findArticleByUrlKey, upsertArticle, type Article } from '../db/repositories/articles.ts';
import type { ArticleInputBody } from './schema.ts';
import { urlKey } from './url-key.ts';

export class ArticleConflict extends Error {}

/** Creates or updates an article; without an id, one is derived from the URL (stable across imports). */
export async function saveArticle(db: Db, input: ArticleInputBody): Promise<{ article: Article; created: boolean }> {
  const key = urlKey(input.url);
  if (!key) throw new ArticleConflict('url must be an http(s) URL');
  const sameUrl = await findArticleByUrlKey(db, key);
  const id = input.id ?? sameUrl?.id ?? `a-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  if (sameUrl && sameUrl.id !== id) throw new ArticleConflict(`the URL already belongs to article "${sameUrl.id}"`);
  return upsertArticle(db, {
    id,
    url: input.url,
    urlKey: key,
    title: input.title,
    author: input.author ?? null,
    publishedAt: input.publishedAt ? new Date(input.publishedAt) : null,
    section: input.section ?? null,
    body: input.body ?? null,
  });
}
