// The public letters pages and the writers' link pages. Every value a reader
// wrote is interpolated through `html`, so it is escaped.
import type { PublishedLetter } from '../../../db/repositories/published.ts';
import { bylineOf, titleOf } from '../../../publishing/feeds.ts';
import { redlinePieces } from '../../../publishing/redline.ts';
import { html, paragraphs, type SafeHtml } from '../../../util/html.ts';
import { page } from '../../html.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);
const longDay = (d: Date) => d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function letterBlock(l: PublishedLetter, opts: { showArticle: boolean }): SafeHtml {
  return html`<article class="published-letter" id="letter-${l.id}">
<h3><a href="/letters/${encodeURIComponent(l.id)}">${titleOf(l)}</a></h3>
${opts.showArticle && l.articleTitle ? html`<p class="re">Re: ${l.articleUrl ? html`<a href="${safeUrl(l.articleUrl)}">${l.articleTitle}</a>` : l.articleTitle}</p>` : ''}
<div class="letter-text">${paragraphs(l.body)}</div>
<p class="byline">${bylineOf(l)}</p>
${l.replies.map((r) => html`<aside class="author-reply"><p><strong>${r.authorName} replies:</strong></p>${paragraphs(r.body)}</aside>`)}
</article>`;
}

/** Only http(s) links become hrefs; anything else (javascript:, data:) is dropped. */
export function safeUrl(u: string): string {
  return /^https?:\/\//i.test(u) ? u : '#';
}

export function lettersPage(opts: { publicationName: string; letters: PublishedLetter[]; page: number; hasMore: boolean }): string {
  const byDay = new Map<string, PublishedLetter[]>();
  for (const l of opts.letters) byDay.set(day(l.publishedAt), [...(byDay.get(day(l.publishedAt)) ?? []), l]);
  const body = html`<p class="kicker">${opts.publicationName}</p>
<h1>Letters to the editor</h1>
<p><a href="/feeds/letters.atom">Atom</a> · <a href="/feeds/letters.rss">RSS</a> · <a href="/feeds/letters.json">JSON Feed</a></p>
${opts.letters.length ? '' : html`<p>No letters have been published yet.</p>`}
${[...byDay].map(([d, ls]) => html`<section class="letters-day"><h2><time datetime="${d}">${longDay(ls[0]!.publishedAt)}</time></h2>${ls.map((l) => letterBlock(l, { showArticle: true }))}</section>`)}
<nav class="pager">${opts.page > 1 ? html`<a rel="prev" href="/letters?page=${opts.page - 1}">Newer letters</a> ` : ''}${opts.hasMore ? html`<a rel="next" href="/letters?page=${opts.page + 1}">Older letters</a>` : ''}</nav>`;
  return page({ title: `Letters — ${opts.publicationName}`, body });
}

export function singleLetterPage(publicationName: string, l: PublishedLetter): string {
  return page({ title: `${titleOf(l)} — ${publicationName}`, body: html`<p class="kicker"><a href="/letters">Letters to ${publicationName}</a></p>${letterBlock(l, { showArticle: true })}` });
}

export function articleLettersFragment(article: { id: string; title: string }, letters: PublishedLetter[]): SafeHtml {
  return html`<section class="letterdesk-letters" data-article="${article.id}">
<h2>Letters about “${article.title}”</h2>
${letters.length ? letters.map((l) => letterBlock(l, { showArticle: false })) : html`<p>No letters have been published about this article yet.</p>`}
</section>`;
}

export function articleLettersPage(publicationName: string, article: { id: string; title: string }, letters: PublishedLetter[]): string {
  return page({ title: `Letters about ${article.title} — ${publicationName}`, body: articleLettersFragment(article, letters) });
}

/** The edit as the writer sees it on the approval page: removals struck, additions marked. */
function redlineHtml(original: string, edited: string): SafeHtml {
  // Inline styles are blocked by the page's CSP, so line breaks become <br>.
  const text = (t: string) => t.split('\n').map((line, i) => (i ? html`<br>${line}` : html`${line}`));
  return html`${redlinePieces(original, edited).map((p) => (p.kind === 'same' ? text(p.text) : p.kind === 'added' ? html`<ins>${text(p.text)}</ins>` : html`<del>${text(p.text)}</del>`))}`;
}

export function approvalPage(opts: { action: string; original: string; edited: string; headline: string | null; error?: string }): string {
  return page({
    title: 'Approve the edited letter',
    body: html`<article>
<h1>Approve the edited letter</h1>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
<p>Here is your letter as we would like to publish it. Removed words are struck through, added words underlined.</p>
${opts.headline ? html`<p><strong>Headline:</strong> ${opts.headline}</p>` : ''}
<blockquote class="letter-text redline">${redlineHtml(opts.original, opts.edited)}</blockquote>
<form method="post" action="${opts.action}">
<div class="field"><label for="comment">Comment for the editor (optional)</label><textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea></div>
<button type="submit" name="decision" value="approve" id="approve">Approve this version</button>
<button type="submit" name="decision" value="refuse" id="refuse">Refuse</button>
</form>
</article>`,
  });
}

export function confirmActionPage(opts: { title: string; text: string; action: string; button: string; field?: { name: string; label: string; rows: number } }): string {
  return page({
    title: opts.title,
    body: html`<article><h1>${opts.title}</h1><p>${opts.text}</p>
<form method="post" action="${opts.action}">
${opts.field ? html`<div class="field"><label for="${opts.field.name}">${opts.field.label}</label><textarea id="${opts.field.name}" name="${opts.field.name}" rows="${opts.field.rows}"></textarea></div>` : ''}
<button type="submit" id="confirm">${opts.button}</button>
</form></article>`,
  });
}
