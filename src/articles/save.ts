// Saving an article from the API, the JSONL import, the demo data or a CMS
// feed (src/feeds).
import crypto from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { findArticleByUrlKey, upsertArticle, type Article, type ArticleInput } from '../db/repositories/articles.ts';
import type { ArticleInputBody } from './schema.ts';
import { urlKey } from './url-key.ts';

export class ArticleConflict extends Error {}

export type SaveOptions = {
  /**
   * Fields the input leaves out keep their stored values, and an article that
   * would not change is not written at all (a feed polled every minute
   * repeats the same items; a sitemap gives no body). Without it, a missing
   * field is cleared, as the API documents.
   */
  keepMissing?: boolean;
};

/** Creates or updates an article; without an id, one is derived from the URL (stable across imports). */
export async function saveArticle(db: Db, input: ArticleInputBody, opts: SaveOptions = {}): Promise<{ article: Article; created: boolean; changed: boolean }> {
  const key = urlKey(input.url);
  if (!key) throw new ArticleConflict('url must be an http(s) URL');
  const sameUrl = await findArticleByUrlKey(db, key);
  const id = input.id ?? sameUrl?.id ?? `a-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  if (sameUrl && sameUrl.id !== id) throw new ArticleConflict(`the URL already belongs to article "${sameUrl.id}"`);
  const given = (v: string | null | undefined, kept: string | null | undefined): string | null => (v === undefined && opts.keepMissing ? (kept ?? null) : (v ?? null));
  const publishedAt = input.publishedAt ? new Date(input.publishedAt) : input.publishedAt === undefined && opts.keepMissing ? (sameUrl?.publishedAt ?? null) : null;
  const next: ArticleInput = {
    id,
    url: input.url,
    urlKey: key,
    title: input.title,
    author: given(input.author, sameUrl?.author),
    publishedAt,
    section: given(input.section, sameUrl?.section),
    body: given(input.body, sameUrl?.body),
  };
  if (opts.keepMissing && sameUrl && sameArticle(sameUrl, next)) return { article: sameUrl, created: false, changed: false };
  return { ...(await upsertArticle(db, next)), changed: true };
}

function sameArticle(a: Article, b: ArticleInput): boolean {
  return (
    a.url === b.url &&
    a.title === b.title &&
    a.author === b.author &&
    a.section === b.section &&
    a.body === b.body &&
    (a.publishedAt?.getTime() ?? null) === (b.publishedAt?.getTime() ?? null)
  );
}
