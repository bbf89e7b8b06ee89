// Export of the letters published in a date range, for a CMS or for print:
// Markdown (reader text escaped so it cannot become links or markup), HTML
// (escaped) and JSON.
import { html, paragraphs } from '../util/html.ts';
import type { PublishedLetter } from '../db/repositories/published.ts';
import { bylineOf, titleOf } from './feeds.ts';

export type ExportFormat = 'markdown' | 'html' | 'json';

/** Backslash-escapes Markdown's punctuation and neutralises raw HTML. */
export function mdText(s: string): string {
  return s.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\\`*_{}\[\]()#+\-.!|~]/g, '\\$&');
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
