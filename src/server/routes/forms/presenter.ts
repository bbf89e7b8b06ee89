// The letter form, the thank-you page and the confirmation page, in the
// reader's language. Plain HTML that works without JavaScript; the script
// adds a live word count, clears an error once its field is fixed, and
// solves the anti-spam challenge. Errors sit next to their fields and in a
// summary at the top.
import type { ArticleHead } from '../../../db/repositories/articles.ts';
import type { MessageKey, Translator } from '../../../i18n/index.ts';
import type { FieldErrors } from '../../../util/field-errors.ts';
import { html, paragraphs, type SafeHtml } from '../../../util/html.ts';
import { page, type Frame } from '../../html.ts';
import { safeUrl } from '../public/presenter.ts';

export type FormValues = Partial<Record<'name' | 'email' | 'town' | 'body' | 'consent' | 'exclusive' | 'nameDisplay', string>>;

const LABEL: Record<string, MessageKey> = {
  name: 'form.label.name',
  email: 'form.label.email',
  town: 'form.label.town',
  body: 'form.label.body',
  consent: 'form.label.consent',
  article: 'form.label.article',
  altcha: 'form.label.altcha',
  _: 'form.label._',
};
const label = (t: Translator, k: string) => (LABEL[k] ? t.t(LABEL[k]) : k);

function field(t: Translator, name: string, errors: FieldErrors, control: (attrs: SafeHtml) => SafeHtml, hint?: string, after?: SafeHtml): SafeHtml {
  const err = errors[name];
  const describedBy = [hint ? `${name}-hint` : '', err ? `${name}-error` : '', after ? `${name}-count` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${name}" name="${name}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${err ? ' has-error' : ''}" data-field="${name}">
<label for="${name}">${label(t, name)}</label>
${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
${err ? html`<p class="error" id="${name}-error"><span class="visually-hidden">${t.t('page.errorPrefix')}</span>${err}</p>` : ''}
${control(attrs)}
${after ?? ''}
</div>`;
}

/**
 * The word count's words for the script: for each plural category of the
 * language, the message with `#` where the count goes (the script picks the
 * category with Intl.PluralRules, as the server would).
 */
function pluralTemplates(t: Translator, key: 'form.words' | 'form.wordsOver', limit: number): Record<string, string> {
  const rules = new Intl.PluralRules(t.lang);
  const out: Record<string, string> = {};
  for (let n = 0; n <= 1000 && Object.keys(out).length < rules.resolvedOptions().pluralCategories.length; n++) {
    const cat = rules.select(n);
    if (out[cat] || n === limit) continue;
    const text = t.t(key, { count: n, limit });
    const shown = n.toLocaleString(t.lang);
    const at = text.indexOf(shown);
    if (at >= 0) out[cat] = text.slice(0, at) + '#' + text.slice(at + shown.length);
  }
  return out;
}

export function letterFormPage(frame: Frame, opts: { article: ArticleHead & { url?: string | null }; values: FormValues; errors: FieldErrors; idem: string; powOn: boolean; wordLimit: number }): string {
  const { t } = frame;
  const { article, values: v, errors } = opts;
  const errorKeys = Object.keys(errors);
  const publication = frame.publicationName;
  const words = (v.body ?? '').split(/\s+/).filter(Boolean).length;
  const count = html`<p class="word-count${words > opts.wordLimit ? ' over' : ''}" id="body-count" aria-live="polite" data-limit="${opts.wordLimit}" data-lang="${t.lang}" data-words="${JSON.stringify(pluralTemplates(t, 'form.words', opts.wordLimit))}" data-over="${JSON.stringify(pluralTemplates(t, 'form.wordsOver', opts.wordLimit))}">${t.t(words > opts.wordLimit ? 'form.wordsOver' : 'form.words', { count: words, limit: opts.wordLimit })}</p>`;
  const body = html`
<article class="letter-form panel">
<p class="kicker">${t.t('form.kicker', { publication })}</p>
<h1>${t.t('form.title', { title: article.title })}</h1>
${article.url ? html`<p class="back"><a href="${safeUrl(article.url)}">← ${t.t('form.backToArticle')}</a></p>` : ''}
<p>${t.t('form.intro', { limit: opts.wordLimit })}</p>
${
  errorKeys.length === 1 && errors._
    ? // Refused as a whole (too many letters, the desk busy): nothing to correct, only when to send it.
      html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>Your letter has not been sent yet</h2>
<p>${errors._}</p>
<p>Everything you wrote is still below; press “Send letter” again then.</p>
</div>`
    : errorKeys.length
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
<h2>${t.t('form.errorSummary', { count: errorKeys.length })}</h2>
<ul>${errorKeys.map((k) => html`<li data-for="${k}"><a href="#${['_', 'article', 'altcha'].includes(k) ? 'letter-form' : k}">${label(t, k)}: ${errors[k]}</a></li>`)}</ul>
</div>`
    : ''
}
<form method="post" action="/articles/${encodeURIComponent(article.id)}/letter" id="letter-form" novalidate${opts.powOn ? html` data-pow="/api/v1/pow/challenge"` : ''} data-checking="${t.t('form.checking')}">
<input type="hidden" name="idem" value="${opts.idem}">
<input type="hidden" name="altcha" value="">
${field(t, 'name', errors, (a) => html`<input type="text" ${a} autocomplete="name" required maxlength="100" value="${v.name ?? ''}">`, t.t('form.hint.name'))}
${field(t, 'email', errors, (a) => html`<input type="email" ${a} autocomplete="email" required maxlength="254" spellcheck="false" value="${v.email ?? ''}">`, t.t('form.hint.email'))}
${field(t, 'town', errors, (a) => html`<input type="text" ${a} autocomplete="address-level2" required maxlength="100" value="${v.town ?? ''}">`)}
${field(t, 'body', errors, (a) => html`<textarea ${a} rows="14" required>${v.body ?? ''}</textarea>`, undefined, count)}
<fieldset class="field">
<legend>${t.t('form.nameDisplay.legend')}</legend>
${(['full', 'initials', 'withheld'] as const).map(
  (k) => html`<label class="choice"><input type="radio" name="nameDisplay" value="${k}"${(v.nameDisplay ?? 'full') === k ? ' checked' : ''}> ${t.t(`form.nameDisplay.${k}`)}</label>`,
)}
</fieldset>
${field(t, 'consent', errors, (a) => html`<label class="choice"><input type="checkbox" ${a} value="yes"${v.consent ? ' checked' : ''}> ${t.t('form.consent', { publication })}</label>`)}
<div class="field"><label class="choice"><input type="checkbox" id="exclusive" name="exclusive" value="yes"${v.exclusive ? ' checked' : ''}> ${t.t('form.exclusive', { publication })}</label></div>
<p class="pow-status" id="pow-status" aria-live="polite"></p>
<button type="submit">${t.t('form.send')}</button>
</form>
</article>`;
  return page({ title: `${errorKeys.length ? t.t('page.errorPrefix') : ''}${t.t('form.pageTitle', { title: article.title })}`, body, scripts: ['/static/letter-form.js'], frame });
}

export function thanksPage(frame: Frame, opts: { name: string; email: string; body: string; articleTitle: string; needsConfirmation: boolean }): string {
  const { t } = frame;
  return page({
    title: t.t('thanks.pageTitle'),
    body: html`<article class="thanks panel">
<h1>${t.t('thanks.title', { name: opts.name })}</h1>
<p>${t.t('thanks.reached', { title: opts.articleTitle, publication: frame.publicationName })}</p>
${opts.needsConfirmation ? html`<p class="notice">${t.h('thanks.confirm', { email: opts.email })}</p>` : html`<p>${t.h('thanks.acknowledged', { email: opts.email })}</p>`}
<h2>${t.t('thanks.yourLetter')}</h2>
<blockquote class="letter-text">${paragraphs(opts.body)}</blockquote>
</article>`,
    frame,
  });
}
