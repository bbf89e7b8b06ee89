// Atom 1.0, RSS 2.0 and JSON Feed 1.1 of published letters. Each place reader
// text goes is escaped for the way a feed reader interprets it:
// - RSS 2.0's <description> and Atom's <content type="html"> are HTML inside
//   XML: the letter becomes HTML of our own (paragraphs of escaped text), and
//   that HTML is escaped again for XML. A reader that renders the description
//   as HTML (all of them) sees text; nothing in a letter can become markup.
// - Titles and names are plain text (Atom says so with type="text"; RSS
//   titles and dc:creator are plain text by the RSS Best Practices Profile):
//   escaped once, for XML.
// - JSON Feed carries the letter only as content_text, never content_html.
// Characters XML cannot carry at all are dropped.
import type { PublishedLetter } from '../db/repositories/published.ts';
import { html, paragraphs } from '../util/html.ts';

export type FeedInfo = { title: string; publicUrl: string; updated: Date };

// XML 1.0 allows tab, LF, CR and most of Unicode; anything else makes a feed unparseable.
const XML_INVALID = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(s: string): string {
  return s.replace(XML_INVALID, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function titleOf(l: PublishedLetter): string {
  return l.headline?.trim() || (l.articleTitle ? `Letter: ${l.articleTitle}` : 'Letter to the editor');
}

export function bylineOf(l: PublishedLetter): string {
  return l.town ? `${l.displayName}, ${l.town}` : l.displayName;
}

/** The letter as plain text: body, then the byline, then any author's replies. */
export function plainTextOf(l: PublishedLetter): string {
  const parts = [l.body, `— ${bylineOf(l)}`];
  for (const r of l.replies) parts.push(`${r.authorName} replies:\n\n${r.body}`);
  return parts.join('\n\n');
}

/** The letter as HTML for feed readers: paragraphs of escaped text, the byline, any author's replies. */
export function htmlOf(l: PublishedLetter): string {
  return html`${paragraphs(l.body)}
<p class="byline">— ${bylineOf(l)}</p>${l.replies.map((r) => html`
<p><strong>${r.authorName} replies:</strong></p>${paragraphs(r.body)}`)}`.value;
}

const link = (info: FeedInfo, l: PublishedLetter) => `${info.publicUrl}/letters/${encodeURIComponent(l.id)}`;
const tagId = (info: FeedInfo, l: PublishedLetter) => `${info.publicUrl}/letters/${l.id}`;

export function atomFeed(info: FeedInfo, letters: PublishedLetter[]): string {
  const entries = letters.map(
    (l) => `  <entry>
    <id>${xmlText(tagId(info, l))}</id>
    <title type="text">${xmlText(titleOf(l))}</title>
    <link rel="alternate" type="text/html" href="${xmlText(link(info, l))}"/>
    <published>${l.publishedAt.toISOString()}</published>
    <updated>${l.updatedAt.toISOString()}</updated>
    <author><name>${xmlText(bylineOf(l))}</name></author>
    <content type="html">${xmlText(htmlOf(l))}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlText(`${info.publicUrl}/letters`)}</id>
  <title type="text">${xmlText(info.title)}</title>
  <updated>${info.updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${xmlText(`${info.publicUrl}/feeds/letters.atom`)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(`${info.publicUrl}/letters`)}"/>
${entries.join('\n')}
</feed>
`;
}

export function rssFeed(info: FeedInfo, letters: PublishedLetter[]): string {
  const items = letters.map(
    (l) => `    <item>
      <title>${xmlText(titleOf(l))}</title>
      <link>${xmlText(link(info, l))}</link>
      <guid isPermaLink="true">${xmlText(link(info, l))}</guid>
      <pubDate>${l.publishedAt.toUTCString()}</pubDate>
      <dc:creator>${xmlText(bylineOf(l))}</dc:creator>
      <description>${xmlText(htmlOf(l))}</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${xmlText(info.title)}</title>
    <link>${xmlText(`${info.publicUrl}/letters`)}</link>
    <description>${xmlText(`${info.title}: letters to the editor`)}</description>
    <lastBuildDate>${info.updated.toUTCString()}</lastBuildDate>
    <atom:link href="${xmlText(`${info.publicUrl}/feeds/letters.rss`)}" rel="self" type="application/rss+xml"/>
${items.join('\n')}
  </channel>
</rss>
`;
}

export function jsonFeed(info: FeedInfo, letters: PublishedLetter[]) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: info.title,
    home_page_url: `${info.publicUrl}/letters`,
    feed_url: `${info.publicUrl}/feeds/letters.json`,
    language: 'en',
    items: letters.map((l) => ({
      id: tagId(info, l),
      url: link(info, l),
      title: titleOf(l),
      content_text: plainTextOf(l),
      date_published: l.publishedAt.toISOString(),
      date_modified: l.updatedAt.toISOString(),
      authors: [{ name: bylineOf(l) }],
      ...(l.articleUrl ? { external_url: l.articleUrl } : {}),
    })),
  };
}
