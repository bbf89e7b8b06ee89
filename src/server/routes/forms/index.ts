// The HTML form under each article, its thank-you page, and the writer's
// confirmation link.
import crypto from 'node:crypto';
import type { AppContext } from '../../../context.ts';
import { findArticleHead } from '../../../db/repositories/articles.ts';
import { findLetterById } from '../../../db/repositories/letters.ts';
import { findWriterById } from '../../../db/repositories/writers.ts';
import { confirmAddress } from '../../../letters/confirm.ts';
import { HTML_SECURITY_HEADERS } from '../../html.ts';
import type { RouteTable } from '../../route.ts';
import { submitLetter } from '../../../letters/submit.ts';
import { letterFormPage, messagePage, thanksPage, type FormValues } from './presenter.ts';
import { articleParams, confirmParams, thanksParams, thanksQuery } from './schema.ts';

const checkbox = (v: unknown) => v === 'yes' || v === 'on' || v === 'true';

export function thanksSignature(secret: string, letterId: string): string {
  return crypto.createHmac('sha256', secret).update(`thanks:${letterId}`).digest('base64url').slice(0, 32);
}

export function formRoutes(ctx: AppContext): RouteTable {
  const send = (reply: any, status: number, body: string) => reply.code(status).headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...HTML_SECURITY_HEADERS }).send(body);

  return [
    {
      method: 'GET',
      url: '/articles/:articleId/letter',
      tag: 'pages',
      summary: 'The letter form for an article (HTML, works without JavaScript).',
      access: 'public',
      hidden: true,
      params: articleParams,
      responses: { 200: { description: 'The form.', contentType: 'text/html' } },
      handler: async ({ params, reply }) => {
        const article = await findArticleHead(ctx.db, { id: params.articleId });
        if (!article) return send(reply, 404, messagePage('Article not found', 'There is no article at this address. Please use the form under the article you want to write about.'));
        return send(reply, 200, formPage(ctx, article, {}, {}));
      },
    },
    {
      method: 'POST',
      url: '/articles/:articleId/letter',
      tag: 'pages',
      summary: 'Submit the letter form: 303 to the thank-you page, or 422 with the form and its errors.',
      access: 'public',
      hidden: true,
      mutates: true,
      intake: true,
      params: articleParams,
      consumes: 'application/x-www-form-urlencoded',
      responses: {
        303: { description: 'Stored.' },
        422: { description: 'The form again, with errors.', contentType: 'text/html' },
        429: { description: 'The form again, saying when this address may send another letter (Retry-After).', contentType: 'text/html' },
        503: { description: 'The form again, saying when to send it (Retry-After): the desk is past what it can store just now.', contentType: 'text/html' },
      },
      handler: async ({ params, req, reply }) => {
        const article = await findArticleHead(ctx.db, { id: params.articleId });
        if (!article) return send(reply, 404, messagePage('Article not found', 'There is no article at this address.'));
        const raw = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
        const values: FormValues = { name: raw.name, email: raw.email, town: raw.town, body: raw.body, consent: raw.consent, exclusive: raw.exclusive, nameDisplay: raw.nameDisplay };
        const idem = typeof raw.idem === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(raw.idem) ? raw.idem : null;
        const input = {
          article: article.id,
          name: raw.name ?? '',
          email: raw.email ?? '',
          town: raw.town ?? '',
          body: raw.body ?? '',
          consent: checkbox(raw.consent),
          exclusive: checkbox(raw.exclusive),
          ...(['full', 'initials', 'withheld'].includes(raw.nameDisplay ?? '') ? { nameDisplay: raw.nameDisplay } : {}),
          ...(raw.altcha ? { altcha: raw.altcha } : {}),
        };
        const out = await submitLetter(ctx, input, { source: 'form', idempotencyKey: idem ? `form:${idem}` : null, powRequired: false });
        if (!out.ok) {
          const errors = out.code ? { _: out.message ?? 'Please try again later.' } : out.fields;
          // Refused for now (429, 503): the page says when in words, the header in seconds; the form keeps what was typed.
          if (out.retryAfterSeconds !== undefined) reply.header('retry-after', String(out.retryAfterSeconds));
          return send(reply, out.status, formPage(ctx, article, values, errors, idem ?? undefined));
        }
        const id = out.result.letter.id;
        return reply.redirect(`/letters/${id}/thanks?sig=${thanksSignature(ctx.publication.secret, id)}`, 303);
      },
    },
    {
      method: 'GET',
      url: '/letters/:letterId/thanks',
      tag: 'pages',
      summary: 'The thank-you page after a form submission (signed link).',
      access: 'public',
      hidden: true,
      params: thanksParams,
      query: thanksQuery,
      responses: { 200: { description: 'Thank-you page.', contentType: 'text/html' } },
      handler: async ({ params, query, reply }) => {
        const expected = thanksSignature(ctx.publication.secret, params.letterId);
        const letter = query.sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(query.sig), Buffer.from(expected)) ? await findLetterById(ctx.db, params.letterId) : null;
        if (!letter) return send(reply, 404, messagePage('Page not found', 'This page is not available.'));
        const [writer, article] = await Promise.all([findWriterById(ctx.db, letter.writerId), letter.articleId ? findArticleHead(ctx.db, { id: letter.articleId }) : null]);
        return send(
          reply,
          200,
          thanksPage({ name: letter.name, email: writer?.email ?? '', body: letter.body, articleTitle: article?.title ?? '', needsConfirmation: letter.status === 'unconfirmed', publicationName: ctx.publication.name }),
        );
      },
    },
    {
      method: 'GET',
      url: '/confirm/:token',
      tag: 'pages',
      summary: "Confirms a writer's address (the link in the acknowledgement mail).",
      access: 'public',
      hidden: true,
      params: confirmParams,
      responses: { 200: { description: 'Confirmed.', contentType: 'text/html' }, 404: { description: 'Unknown link.', contentType: 'text/html' } },
      handler: async ({ params, reply }) => {
        const out = await confirmAddress(ctx, params.token);
        if (out === 'unknown') return send(reply, 404, messagePage('Link not recognised', 'This confirmation link is not valid. Please copy the whole link from the email.'));
        if (out === 'withdrawn') return send(reply, 410, messagePage('Letter withdrawn', 'This letter was withdrawn, so there is nothing to confirm.'));
        return send(reply, 200, messagePage('Thank you, your address is confirmed', out === 'already' ? 'You had already confirmed this letter. The editors will read it.' : 'The letters editors will now consider your letter. If we would like to publish it, we will contact you first.'));
      },
    },
  ];
}

function formPage(ctx: AppContext, article: Parameters<typeof letterFormPage>[0]['article'], values: FormValues, errors: Record<string, string>, idem?: string): string {
  return letterFormPage({
    article,
    publicationName: ctx.publication.name,
    values,
    errors,
    // Keep the same token across corrections: a double-click or a retry after
    // a lost answer still stores the letter once.
    idem: idem ?? crypto.randomBytes(18).toString('base64url'),
    powOn: ctx.config.pow,
    wordLimit: ctx.publication.policies.wordLimit,
  });
}
