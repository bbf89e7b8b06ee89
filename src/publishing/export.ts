// Export of the letters published in a date range, for a CMS or for print:
// Markdown (reader text escaped so it cannot become links or markup), HTML
// (escaped), JSON, and CSV (no cell can start a spreadsheet formula).
import { html, paragraphs } from '../util/html.ts';
import type { PublishedLetter } from '../db/repositories/published.ts';
import { bylineOf, titleOf } from './feeds.ts';

export type ExportFormat = 'markdown' | 'html' | 'json' | 'csv';

/**
 * Reader text for Markdown: raw HTML neutralised (< and > as character
 * references), Markdown's punctuation backslash-escaped so that nothing
 * becomes a link, an autolink, emphasis, a heading, a list or a character
 * reference, and leading indentation written as references so that nothing
 * becomes a code block.
 */
export function mdText(s: string): string {
  return (
    s
      .replace(/[<>\\`*_{}\[\]()#+\-.!|~&=]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
      // Indentation would make a code block: as character references it is only text.
      .replace(/^[ \t]+/gm, (ws) => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'))
  );
}

export function toMarkdown(title: string, letters: PublishedLetter[]): string {
  const out = [`# ${mdText(title)}`, ''];
  for (const l of letters) {
    out.push(`## ${mdText(titleOf(l))}`, '');
    if (l.articleTitle) out.push(`*Re: ${mdText(l.articleTitle)}*`, '');
    out.push(...l.body.split(/\n{2,}/).map((p) => `${mdText(p).replace(/\n/g, '  \n')}\n`));
    out.push(`— ${mdText(bylineOf(l))}, ${l.publishedAt.toISOString().slice(0, 10)}`, '');
    for (const r of l.replies) out.push(`**${mdText(r.authorName)} replies:**`, '', ...r.body.split(/\n{2,}/).map((p) => `${mdText(p)}\n`));
  }
  return out.join('\n');
}

export function toHtml(title: string, letters: PublishedLetter[]): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
${letters.map(
  (l) => html`<article id="letter-${l.id}">
<h2>${titleOf(l)}</h2>
${l.articleTitle ? html`<p class="re">Re: ${l.articleTitle}</p>` : ''}
${paragraphs(l.body)}
<p class="byline">${bylineOf(l)} — <time datetime="${l.publishedAt.toISOString()}">${l.publishedAt.toISOString().slice(0, 10)}</time></p>
${l.replies.map((r) => html`<aside class="reply"><p><strong>${r.authorName} replies:</strong></p>${paragraphs(r.body)}</aside>`)}
</article>`,
)}
</body></html>
`.value;
}

export function toJson(letters: PublishedLetter[]) {
  return letters.map((l) => ({
    id: l.id,
    article: l.articleId ? { id: l.articleId, title: l.articleTitle, url: l.articleUrl } : null,
    headline: l.headline,
    name: l.displayName,
    town: l.town,
    text: l.body,
    publishedAt: l.publishedAt.toISOString(),
    replies: l.replies.map((r) => ({ author: r.authorName, text: r.body, at: r.createdAt.toISOString() })),
  }));
}

/**
 * A spreadsheet reads a cell that starts with one of these (after any spaces)
 * as a formula or a command (OWASP's CSV injection list, with the full-width
 * forms some spreadsheets also accept).
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

/** One CSV cell (RFC 4180, always quoted); a cell a spreadsheet would run is made text with a leading apostrophe. */
export function csvCell(value: string | null | undefined): string {
  const s = value ?? '';
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export const CSV_COLUMNS = ['id', 'published_at', 'article_id', 'article_title', 'headline', 'name', 'town', 'text'] as const;

/** The letters as CSV with a header row, CRLF line ends (RFC 4180). */
export function toCsv(letters: PublishedLetter[]): string {
  const rows = [CSV_COLUMNS.map((c) => csvCell(c)).join(',')];
  for (const l of letters) {
    rows.push([l.id, l.publishedAt.toISOString(), l.articleId, l.articleTitle, l.headline, l.displayName, l.town, l.body].map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
