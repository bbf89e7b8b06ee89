// RSS 2.0, RSS 1.0 (RDF) and Atom items as FeedItems: the link, headline,
// author, date, first category as the section, and the fullest text given
// (content:encoded or Atom content before description or summary).
import { absoluteUrl, feedDate, item, type FeedItem } from './item.ts';
import { bodyText, lineText } from './text.ts';
import { attr, list, text, type XmlNode } from './xml.ts';

const line = (v: unknown) => lineText(text(v)) ?? undefined;
const body = (v: unknown) => bodyText(text(v)) ?? undefined;

export function rssItems(rss: XmlNode, base: string): FeedItem[] {
  const channel = list(rss.channel)[0] ?? {};
  return list(channel.item).flatMap((i) => {
    const guid = list(i.guid)[0];
    const permalink = guid && attr(guid, 'isPermaLink') !== 'false' ? text(guid) : undefined;
    const url = absoluteUrl(text(i.link), base) ?? absoluteUrl(permalink, base);
    if (!url) return [];
    return [
      item({
        url,
        title: line(i.title),
        author: line(i['dc:creator']) ?? line(i.author),
        publishedAt: feedDate(text(i.pubDate)) ?? feedDate(text(i['dc:date'])),
        section: line(i.category),
        body: body(i['content:encoded']) ?? body(i.description),
      }),
    ];
  });
}

export function rdfItems(rdf: XmlNode, base: string): FeedItem[] {
  return list(rdf.item).flatMap((i) => {
    const url = absoluteUrl(text(i.link), base) ?? absoluteUrl(attr(i, 'rdf:about'), base);
    if (!url) return [];
    return [
      item({
        url,
        title: line(i.title),
        author: line(i['dc:creator']),
        publishedAt: feedDate(text(i['dc:date'])),
        section: line(i['dc:subject']),
        body: body(i['content:encoded']) ?? body(i.description),
      }),
    ];
  });
}

/** The entry's page: the `alternate` link (or one without rel), else the first. */
function atomLink(links: XmlNode[], base: string): string | null {
  const page = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate' && (attr(l, 'type') ?? 'text/html').includes('html')) ?? links.find((l) => !attr(l, 'rel')) ?? links[0];
  return absoluteUrl(attr(page, 'href') ?? text(page), base);
}

export function atomItems(feed: XmlNode, base: string): FeedItem[] {
  const feedBase = absoluteUrl(attr(feed, 'xml:base'), base) ?? base;
  return list(feed.entry).flatMap((e) => {
    const url = atomLink(list(e.link), absoluteUrl(attr(e, 'xml:base'), feedBase) ?? feedBase);
    if (!url) return [];
    const authors = [...list(e.author), ...list(feed.author)];
    return [
      item({
        url,
        title: line(e.title),
        author: authors.map((a) => line(a.name)).find(Boolean),
        publishedAt: feedDate(text(e.published)) ?? feedDate(text(e.updated)),
        section: list(e.category).map((c) => lineText(attr(c, 'label') ?? attr(c, 'term'))).find(Boolean) ?? undefined,
        body: body(e.content) ?? body(e.summary),
      }),
    ];
  });
}
