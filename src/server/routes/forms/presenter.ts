// The letter form, the thank-you page and the confirmation page. Plain HTML
// that works without JavaScript; the script only solves the anti-spam
// challenge. Errors sit next to their fields and in a summary at the top.
import type { ArticleHead } from '../../../db/repositories/articles.ts';
import type { FieldErrors } from '../../../util/field-errors.ts';
import { html, paragraphs, type SafeHtml } from '../../../util/html.ts';
import { page } from '../../html.ts';

export type FormValues = Partial<Record<'name' | 'email' | 'town' | 'body' | 'consent' | 'exclusive' | 'nameDisplay', string>>;

const LABELS: Record<string, string> = {
  name: 'Your name',
  email: 'Email address',
  town: 'Town or city',
  body: 'Your letter',
  consent: 'Consent',
  article: 'Article',
  altcha: 'Anti-spam check',
  _: 'Form',
};

function field(name: string, errors: FieldErrors, control: (attrs: SafeHtml) => SafeHtml, hint?: string): SafeHtml {
  const err = errors[name];
  const describedBy = [hint ? `${name}-hint` : '', err ? `${name}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${name}" name="${name}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${err ? ' has-error' : ''}">
<label for="${name}">${LABELS[name]}</label>
${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
${err ? html`<p class="error" id="${name}-error"><span class="visually-hidden">Error: </span>${err}</p>` : ''}
${control(attrs)}
</div>`;
}

export function letterFormPage(opts: { article: ArticleHead; publicationName: string; values: FormValues; errors: FieldErrors; idem: string; powOn: boolean; wordLimit: number }): string {
  const { article, values: v, errors } = opts;
  const errorKeys = Object.keys(errors);
  const body = html`
<article class="letter-form">
<p class="kicker">Letters to ${opts.publicationName}</p>
<h1>Write a letter about “${article.title}”</h1>
<p>We read every letter. Letters may be edited for length and clarity; we will ask you to approve any changes before we publish. Please keep it under ${opts.wordLimit} words.</p>
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
<h2>Please check ${errorKeys.length === 1 ? 'one thing' : `${errorKeys.length} things`}</h2>
<ul>${errorKeys.map((k) => html`<li><a href="#${['_', 'article', 'altcha'].includes(k) ? 'letter-form' : k}">${LABELS[k] ?? k}: ${errors[k]}</a></li>`)}</ul>
</div>`
    : ''
}
<form method="post" action="/articles/${encodeURIComponent(article.id)}/letter" id="letter-form" novalidate${opts.powOn ? html` data-pow="/api/v1/pow/challenge"` : ''}>
<input type="hidden" name="idem" value="${opts.idem}">
<input type="hidden" name="altcha" value="">
${field('name', errors, (a) => html`<input type="text" ${a} autocomplete="name" required maxlength="100" value="${v.name ?? ''}">`, 'As you would like it to appear if we publish your letter.')}
${field('email', errors, (a) => html`<input type="email" ${a} autocomplete="email" required maxlength="254" spellcheck="false" value="${v.email ?? ''}">`, 'We will send a link to confirm it. It is never published.')}
${field('town', errors, (a) => html`<input type="text" ${a} autocomplete="address-level2" required maxlength="100" value="${v.town ?? ''}">`)}
${field('body', errors, (a) => html`<textarea ${a} rows="14" required>${v.body ?? ''}</textarea>`)}
<fieldset class="field">
<legend>If we publish your letter, show my name as</legend>
${(['full', 'initials', 'withheld'] as const).map(
  (k) => html`<label class="choice"><input type="radio" name="nameDisplay" value="${k}"${(v.nameDisplay ?? 'full') === k ? ' checked' : ''}> ${{ full: 'my full name', initials: 'my initials', withheld: '“Name withheld”' }[k]}</label>`,
)}
</fieldset>
${field(
  'consent',
  errors,
  (a) => html`<label class="choice"><input type="checkbox" ${a} value="yes"${v.consent ? ' checked' : ''}> I agree that ${opts.publicationName} may publish and edit my letter, in print and online.</label>`,
)}
<div class="field"><label class="choice"><input type="checkbox" id="exclusive" name="exclusive" value="yes"${v.exclusive ? ' checked' : ''}> This letter is sent to ${opts.publicationName} only.</label></div>
<p class="pow-status" id="pow-status" aria-live="polite"></p>
<button type="submit">Send letter</button>
</form>
</article>`;
  return page({ title: `${errorKeys.length ? 'Error: ' : ''}Write a letter — ${article.title}`, body, scripts: opts.powOn ? ['/static/letter-form.js'] : [] });
}

export function thanksPage(opts: { name: string; email: string; body: string; articleTitle: string; needsConfirmation: boolean; publicationName: string }): string {
  return page({
    title: 'Thank you for your letter',
    body: html`<article class="thanks">
<h1>Thank you, ${opts.name}</h1>
<p>Your letter about “${opts.articleTitle}” has reached the letters desk of ${opts.publicationName}.</p>
${
  opts.needsConfirmation
    ? html`<p class="notice"><strong>One more step:</strong> we have sent a link to <strong>${opts.email}</strong>. Please click it to confirm your address; the editors consider letters once the address is confirmed.</p>`
    : html`<p>We have sent an acknowledgement to <strong>${opts.email}</strong>.</p>`
}
<h2>Your letter</h2>
<blockquote class="letter-text">${paragraphs(opts.body)}</blockquote>
</article>`,
  });
}

export function messagePage(title: string, text: string): string {
  return page({ title, body: html`<article><h1>${title}</h1><p>${text}</p></article>` });
}
