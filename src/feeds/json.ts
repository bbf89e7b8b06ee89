// JSON documents: JSON Feed (1.0 and 1.1) and WordPress's REST API posts
// (`/wp-json/wp/v2/posts`, best asked with `_embed` so that the author's name
// and the category come along).
import { absoluteUrl, feedDate, FeedError, item, type FeedItem } from './item.ts';
import { bodyText, lineText } from './text.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function isJsonFeed(doc: unknown): boolean {
  return /^https?:\/\/jsonfeed\.org\/version\//.test(str(obj(doc).version) ?? '');
}

export function jsonFeedItems(doc: unknown, base: string): FeedItem[] {
  const feed = obj(doc);
  if (!Array.isArray(feed.items)) throw new FeedError('the JSON Feed has no "items" list');
  const feedAuthors = [...arr(feed.authors), feed.author];
  return feed.items.flatMap((raw) => {
    const i = obj(raw);
    const url = absoluteUrl(i.url, base) ?? absoluteUrl(i.external_url, base);
    if (!url) return [];
    const authors = [...arr(i.authors), i.author, ...feedAuthors];
    return [
      item({
        url,
        title: lineText(str(i.title)) ?? undefined,
        author: authors.map((a) => lineText(str(obj(a).name))).find(Boolean) ?? undefined,
        publishedAt: feedDate(i.date_published) ?? feedDate(i.date_modified),
        section: lineText(str(arr(i.tags)[0])) ?? undefined,
        body: bodyText(str(i.content_html) ?? str(i.content_text) ?? str(i.summary)) ?? undefined,
      }),
    ];
  });
}

/** WordPress dates without a zone (`date_gmt`) are UTC. */
function wpDate(v: unknown): Date | undefined {
  const s = str(v);
  if (!s) return undefined;
  return feedDate(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
}

export function wordpressItems(doc: unknown, base: string): FeedItem[] {
  if (!Array.isArray(doc)) {
    const message = str(obj(doc).message);
    throw new FeedError(message ? `WordPress answered: ${lineText(message)}` : 'the WordPress API did not answer with a list of posts');
  }
  return doc.flatMap((raw) => {
    const p = obj(raw);
    const url = absoluteUrl(p.link, base);
    if (!url) return [];
    const embedded = obj(p._embedded);
    const terms = arr(embedded['wp:term']).flatMap((group) => arr(group)).map(obj);
    const category = terms.find((t) => t.taxonomy === 'category' && t.slug !== 'uncategorized');
    return [
      item({
        url,
        title: lineText(str(obj(p.title).rendered)) ?? undefined,
        author: lineText(str(obj(arr(embedded.author)[0]).name)) ?? undefined,
        publishedAt: wpDate(p.date_gmt) ?? feedDate(p.date),
        section: lineText(str(category?.name)) ?? undefined,
        body: bodyText(str(obj(p.content).rendered) ?? str(obj(p.excerpt).rendered)) ?? undefined,
      }),
    ];
  });
}
