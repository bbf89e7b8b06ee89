// The public letters pages and the writers' link pages, in the reader's
// language (src/i18n). Every value a reader wrote is interpolated through
// `html`, so it is escaped.
import type { PublishedLetter } from '../../../db/repositories/published.ts';
import type { Translator } from '../../../i18n/index.ts';
import { redlinePieces } from '../../../publishing/redline.ts';
import { html, paragraphs, type SafeHtml } from '../../../util/html.ts';
import { page, type Frame } from '../../html.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Only http(s) links become hrefs; anything else (javascript:, data:) is dropped. */
export function safeUrl(u: string): string {
  return /^https?:\/\//i.test(u) ? u : '#';
}

const formUrl = (articleId: string) => `/articles/${encodeURIComponent(articleId)}/letter`;

/** The letter's headline, or who wrote it (the article it answers is shown above it). */
function titleOf(t: Translator, l: PublishedLetter): string {
  return l.headline?.trim() || t.t('letters.letterFrom', { name: l.displayName });
}

/** One published letter: what it answers, its text, who wrote it and when, how to answer the article too. */
export function letterBlock(t: Translator, l: PublishedLetter, opts: { showArticle: boolean; heading: 'h1' | 'h2' | 'h3'; link?: boolean }): SafeHtml {
  const title = opts.link === false ? html`${titleOf(t, l)}` : html`<a href="/letters/${encodeURIComponent(l.id)}">${titleOf(t, l)}</a>`;
  const heading = opts.heading === 'h1' ? html`<h1>${title}</h1>` : opts.heading === 'h2' ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`;
  return html`<article class="published-letter" id="letter-${l.id}">
${opts.showArticle && l.articleTitle ? html`<p class="re">${t.t('letters.re')} ${l.articleUrl ? html`<a href="${safeUrl(l.articleUrl)}">${l.articleTitle}</a>` : l.articleTitle}</p>` : ''}
${heading}
<div class="letter-text">${paragraphs(l.body)}</div>
<p class="byline">${l.displayName}${l.town ? html`<span class="town">, ${l.town}</span>` : ''}</p>
<p class="meta"><time datetime="${l.publishedAt.toISOString()}">${t.t('letters.published', { date: t.date(l.publishedAt) })}</time>${l.articleId ? html` · <a href="${formUrl(l.articleId)}">${t.t('letters.writeShort')}</a>` : ''}</p>
${l.replies.map((r) => html`<aside class="author-reply"><p><strong>${t.t('letters.authorReplies', { name: r.authorName })}</strong></p>${paragraphs(r.body)}</aside>`)}
</article>`;
}

/** Newer and older pages of letters (`?page=`), when there is more than one. */
function pagerHtml(t: Translator, path: string, pageNo: number, hasMore: boolean): SafeHtml | '' {
  if (pageNo <= 1 && !hasMore) return '';
  return html`<nav class="pager" aria-label="${t.t('letters.paging')}">${pageNo > 1 ? html`<a rel="prev" href="${path}?page=${pageNo - 1}">← ${t.t('letters.newer')}</a>` : html`<span></span>`}<span class="page-n">${t.t('letters.pageN', { page: pageNo })}</span>${hasMore ? html`<a rel="next" href="${path}?page=${pageNo + 1}">${t.t('letters.older')} →</a>` : html`<span></span>`}</nav>`;
}

function feedLinks(t: Translator): SafeHtml {
  return html`<p class="feeds">${t.t('letters.feeds')} <a href="/feeds/letters.atom">Atom</a> · <a href="/feeds/letters.rss">RSS</a> · <a href="/feeds/letters.json">JSON Feed</a></p>`;
}

export function lettersPage(frame: Frame, opts: { letters: PublishedLetter[]; page: number; hasMore: boolean }): string {
  const { t } = frame;
  const byDay = new Map<string, PublishedLetter[]>();
  for (const l of opts.letters) byDay.set(day(l.publishedAt), [...(byDay.get(day(l.publishedAt)) ?? []), l]);
  const pager = pagerHtml(t, '/letters', opts.page, opts.hasMore);
  const body = html`<p class="kicker">${frame.publicationName}</p>
<h1>${t.t('letters.title')}</h1>
${feedLinks(t)}
${opts.letters.length ? '' : html`<p class="empty">${t.t('letters.none')}</p>`}
${[...byDay].map(([d, ls]) => html`<section class="letters-day"><h2><time datetime="${d}">${t.date(ls[0]!.publishedAt, 'full')}</time></h2>${ls.map((l) => letterBlock(t, l, { showArticle: true, heading: 'h3' }))}</section>`)}
${pager}`;
  return page({ title: `${t.t('letters.pageTitle', { publication: frame.publicationName })}${opts.page > 1 ? ` (${t.t('letters.pageN', { page: opts.page })})` : ''}`, body, frame });
}

export function singleLetterPage(frame: Frame, l: PublishedLetter): string {
  const { t } = frame;
  return page({
    title: `${titleOf(t, l)} — ${frame.publicationName}`,
    body: html`<p class="kicker"><a href="/letters">${t.t('letters.all')}</a></p>
${letterBlock(t, l, { showArticle: true, heading: 'h1', link: false })}
${l.articleId ? html`<p class="actions">${l.articleUrl ? html`<a class="button secondary" href="${safeUrl(l.articleUrl)}">${t.t('letters.readArticle')}</a> ` : ''}<a class="button" href="${formUrl(l.articleId)}">${t.t('letters.write')}</a></p>` : ''}`,
    frame,
  });
}

/** The letters under an article: framed or fetched by the publication's article pages. */
export function articleLettersFragment(t: Translator, article: { id: string; title: string; url?: string | null }, letters: PublishedLetter[], heading: 'h1' | 'h2' = 'h2'): SafeHtml {
  const title = t.t('letters.about', { title: article.title });
  return html`<section class="letterdesk-letters" data-article="${article.id}">
${heading === 'h1' ? html`<h1>${title}</h1>` : html`<h2>${title}</h2>`}
<p class="actions">${article.url ? html`<a class="button secondary" href="${safeUrl(article.url)}">${t.t('letters.readArticle')}</a> ` : ''}<a class="button" href="${formUrl(article.id)}">${t.t('letters.write')}</a></p>
${letters.length ? letters.map((l) => letterBlock(t, l, { showArticle: false, heading: heading === 'h1' ? 'h2' : 'h3' })) : html`<p class="empty">${t.t('letters.noneAbout')}</p>`}
</section>`;
}

export function articleLettersPage(frame: Frame, article: { id: string; title: string; url?: string | null }, letters: PublishedLetter[], paging: { page: number; hasMore: boolean } = { page: 1, hasMore: false }): string {
  const body = html`${articleLettersFragment(frame.t, article, letters, 'h1')}${pagerHtml(frame.t, `/articles/${encodeURIComponent(article.id)}/letters`, paging.page, paging.hasMore)}`;
  return page({ title: frame.t.t('letters.aboutPageTitle', { title: article.title, publication: frame.publicationName }), body, frame });
}

/** The edit as the writer sees it on the approval page: removals struck, additions marked. */
function redlineHtml(original: string, edited: string): SafeHtml {
  // Inline styles are blocked by the page's CSP, so line breaks become <br>.
  const text = (t: string) => t.split('\n').map((line, i) => (i ? html`<br>${line}` : html`${line}`));
  return html`${redlinePieces(original, edited).map((p) => (p.kind === 'same' ? text(p.text) : p.kind === 'added' ? html`<ins>${text(p.text)}</ins>` : html`<del>${text(p.text)}</del>`))}`;
}

export function approvalPage(frame: Frame, opts: { action: string; original: string; edited: string; headline: string | null; error?: string; asksConsent?: boolean }): string {
  const { t } = frame;
  return page({
    title: t.t('approval.pageTitle'),
    body: html`<article class="panel">
<h1>${t.t('approval.pageTitle')}</h1>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
<p>${t.t('approval.intro')}</p>
${opts.headline ? html`<p><strong>${t.t('approval.headline')}</strong> ${opts.headline}</p>` : ''}
<blockquote class="letter-text redline">${redlineHtml(opts.original, opts.edited)}</blockquote>
${opts.asksConsent ? html`<p class="notice">${t.t('approval.consent', { publication: frame.publicationName })}</p>` : ''}
<form method="post" action="${opts.action}">
<div class="field"><label for="comment">${t.t('approval.comment')}</label><textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea></div>
<div class="buttons"><button type="submit" name="decision" value="approve" id="approve">${t.t('approval.approve')}</button>
<button type="submit" name="decision" value="refuse" id="refuse" class="secondary">${t.t('approval.refuse')}</button></div>
</form>
</article>`,
    frame,
  });
}

/** A writer's link page: what pressing the button does, and the button (a POST; the GET changes nothing). */
export function confirmActionPage(frame: Frame, opts: { title: string; text: string; action: string; button: string; field?: { name: string; label: string; rows: number }; agreement?: string }): string {
  return page({
    title: opts.title,
    body: html`<article class="panel"><h1>${opts.title}</h1><p>${opts.text}</p>
${opts.agreement ? html`<p class="notice">${opts.agreement}</p>` : ''}
<form method="post" action="${opts.action}">
${opts.field ? html`<div class="field"><label for="${opts.field.name}">${opts.field.label}</label><textarea id="${opts.field.name}" name="${opts.field.name}" rows="${opts.field.rows}"></textarea></div>` : ''}
<button type="submit" id="confirm">${opts.button}</button>
</form></article>`,
    frame,
  });
}

/** A page with a title and one paragraph: done, not found, link not usable. */
export function messagePage(frame: Frame, title: string, text: string): string {
  return page({ title, body: html`<article class="panel"><h1>${title}</h1><p>${text}</p><p><a href="/letters">${frame.t.t('letters.all')}</a></p></article>`, frame });
}

/** The embed's words, in the reader's language: the embed script gets them with itself. */
export function embedMessages(t: Translator, publication: string): Record<string, string> {
  return {
    lang: t.lang,
    title: t.t('embed.title'),
    none: t.t('letters.noneAbout'),
    replies: t.t('letters.authorReplies', { name: '%s' }),
    write: t.t('letters.writeShort'),
    name: t.t('form.label.name'),
    email: t.t('embed.emailLabel'),
    town: t.t('form.label.town'),
    body: t.t('form.label.body'),
    nameDisplay: t.t('form.nameDisplay.legend'),
    full: t.t('form.nameDisplay.full'),
    initials: t.t('form.nameDisplay.initials'),
    withheld: t.t('form.nameDisplay.withheld'),
    consent: t.t('form.consent', { publication }),
    exclusive: t.t('form.exclusive', { publication }),
    send: t.t('form.send'),
    sending: t.t('embed.sending'),
    thanks: t.t('thanks.pageTitle'),
    confirm: t.t('embed.confirm'),
    read: t.t('mail.ack.read'),
    failed: t.t('embed.failed'),
    error: t.t('embed.error'),
  };
}
