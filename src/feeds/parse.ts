// Which kind of document a feed answered with, and its items. The admin's
// choice of format is checked against what came (a sitemap configured as
// RSS is an error worth showing); `auto` takes what the document is.
import type { FeedFormat } from '../db/repositories/feeds.ts';
import { FeedError, type FeedItem } from './item.ts';
import { isJsonFeed, jsonFeedItems, wordpressItems } from './json.ts';
import { sitemapIndex, sitemapItems, type SitemapRef } from './sitemap.ts';
import { atomItems, rdfItems, rssItems } from './syndication.ts';
import { readXml } from './xml.ts';

export type DocumentFormat = 'rss' | 'rdf' | 'atom' | 'json' | 'wordpress' | 'sitemap' | 'sitemap-index';

export type ParsedDocument = { format: DocumentFormat; items: FeedItem[]; sitemaps: SitemapRef[] };

/** Whether a URL is WordPress's REST API (pretty or plain permalinks). */
export function isWordpressApi(url: string): boolean {
  try {
    const u = new URL(url);
    return /\/wp-json\/wp\/v2\//.test(u.pathname) || (u.searchParams.get('rest_route') ?? '').startsWith('/wp/v2/');
  } catch {
    return false;
  }
}

const FAMILY: Record<DocumentFormat, Exclude<FeedFormat, 'auto'>> = {
  rss: 'rss',
  rdf: 'rss',
  atom: 'atom',
  json: 'json',
  wordpress: 'wordpress',
  sitemap: 'sitemap',
  'sitemap-index': 'sitemap',
};

export function parseDocument(text: string, opts: { url: string; contentType: string; expected: FeedFormat }): ParsedDocument {
  const doc = read(text, opts);
  if (opts.expected !== 'auto' && FAMILY[doc.format] !== opts.expected) throw new FeedError(`expected ${opts.expected === 'json' ? 'a JSON Feed' : opts.expected}, but the address serves ${describe(doc.format)}`);
  return doc;
}

function describe(f: DocumentFormat): string {
  return { rss: 'an RSS feed', rdf: 'an RSS 1.0 feed', atom: 'an Atom feed', json: 'a JSON Feed', wordpress: 'WordPress posts', sitemap: 'a sitemap', 'sitemap-index': 'a sitemap index' }[f];
}

function read(text: string, opts: { url: string; contentType: string; expected: FeedFormat }): ParsedDocument {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const base = opts.url;
  if (start.startsWith('{') || start.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(start);
    } catch (err) {
      throw new FeedError(`malformed JSON: ${(err as Error).message}`);
    }
    if (opts.expected === 'wordpress' || isWordpressApi(opts.url) || Array.isArray(json)) return { format: 'wordpress', items: wordpressItems(json, base), sitemaps: [] };
    if (isJsonFeed(json)) return { format: 'json', items: jsonFeedItems(json, base), sitemaps: [] };
    throw new FeedError('the address answers with JSON that is neither a JSON Feed (no jsonfeed.org "version") nor WordPress posts');
  }
  if (!start.startsWith('<')) throw new FeedError(`the address answers with ${opts.contentType || 'something'} that is neither XML nor JSON`);
  if (/^(<!--[\s\S]*?-->\s*)*<!doctype html|^(<!--[\s\S]*?-->\s*)*<html[\s>]/i.test(start)) throw new FeedError('the address answers with a web page (HTML), not a feed; use the address of its RSS, Atom or JSON feed or its sitemap');
  const { root, node } = readXml(start);
  switch (root) {
    case 'rss':
      return { format: 'rss', items: rssItems(node, base), sitemaps: [] };
    case 'rdf:RDF':
      return { format: 'rdf', items: rdfItems(node, base), sitemaps: [] };
    case 'feed':
      return { format: 'atom', items: atomItems(node, base), sitemaps: [] };
    case 'urlset':
      return { format: 'sitemap', items: sitemapItems(node, base), sitemaps: [] };
    case 'sitemapindex':
      return { format: 'sitemap-index', items: [], sitemaps: sitemapIndex(node, base) };
    case 'html':
      throw new FeedError('the address answers with a web page (HTML), not a feed; use the address of its RSS, Atom or JSON feed or its sitemap');
    default:
      throw new FeedError(`the XML document is not a feed: its root element is <${root.slice(0, 40)}>, not <rss>, <feed>, <rdf:RDF>, <urlset> or <sitemapindex>`);
  }
}
