// The HTML form under each article, its thank-you page, and the writer's
// confirmation link (a page with a button: only the POST confirms, since mail
// scanners open links). Every page is in the reader's language.
import crypto from 'node:crypto';
import type { AppContext } from '../../../context.ts';
import { findArticleHead } from '../../../db/repositories/articles.ts';
import { findLetterById } from '../../../db/repositories/letters.ts';
import { findWriterById } from '../../../db/repositories/writers.ts';
import { confirmAddress, confirmationState } from '../../../letters/confirm.ts';
import { readerView, sendPage, type ReaderView } from '../../readers.ts';
import type { RouteTable } from '../../route.ts';
import { submitLetter } from '../../../letters/submit.ts';
import { confirmActionPage, messagePage } from '../public/presenter.ts';
import { letterFormPage, thanksPage, type FormValues } from './presenter.ts';
import { articleParams, confirmParams, thanksParams, thanksQuery } from './schema.ts';
import { whenInWords } from '../../../i18n/when.ts';
import type { Translator } from '../../../i18n/index.ts';

const checkbox = (v: unknown) => v === 'yes' || v === 'on' || v === 'true';

export function thanksSignature(secret: string, letterId: string): string {
  return crypto.createHmac('sha256', secret).update(`thanks:${letterId}`).digest('base64url').slice(0, 32);
}

export function formRoutes(ctx: AppContext): RouteTable {
  const send = (reply: any, view: ReaderView, status: number, body: string) => sendPage(reply, view, status, body, { 'cache-control': 'no-store' });
  /** Writers' confirmation pages hold a secret in their URL: never cached, never sent on as a referrer. */
  const sendPrivate = (reply: any, view: ReaderView, status: number, body: string) => sendPage(reply, view, status, body, { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });

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
      handler: async ({ params, req, reply }) => {
        const view = readerView(ctx, req);
        const { t, frame } = view;
        const article = await findArticleHead(ctx.db, { id: params.articleId });
        if (!article) return send(reply, view, 404, messagePage(frame, t.t('notFound.articleTitle'), t.t('notFound.articleText')));
        return send(reply, view, 200, formPage(ctx, view, article, {}, {}));
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
        const view = readerView(ctx, req);
        const { t, frame } = view;
        const article = await findArticleHead(ctx.db, { id: params.articleId });
        if (!article) return send(reply, view, 404, messagePage(frame, t.t('notFound.articleTitle'), t.t('notFound.articleText')));
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
        const out = await submitLetter(ctx, input, {
          source: 'form',
          idempotencyKey: idem ? `form:${idem}` : null,
          powRequired: false,
          say: (k, v) => t.t(k, v),
          // The writer's own language is kept only when it is not the publication's: mail to them follows it.
          language: view.fromReader ? t.lang : null,
        });
        if (!out.ok) {
          // Refused for now (429, 503): the page says when in the reader's words, the header in seconds; the form keeps what was typed.
          const errors = out.code ? { _: refusalMessage(t, out.code, out.retryAfterSeconds) } : out.fields;
          if (out.retryAfterSeconds !== undefined) reply.header('retry-after', String(out.retryAfterSeconds));
          return send(reply, view, out.status, formPage(ctx, view, article, values, errors, idem ?? undefined));
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
      handler: async ({ params, query, req, reply }) => {
        const view = readerView(ctx, req);
        const { t, frame } = view;
        const expected = thanksSignature(ctx.publication.secret, params.letterId);
        const letter = query.sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(query.sig), Buffer.from(expected)) ? await findLetterById(ctx.db, params.letterId) : null;
        if (!letter) return send(reply, view, 404, messagePage(frame, t.t('notFound.pageTitle'), t.t('notFound.pageText')));
        const [writer, article] = await Promise.all([findWriterById(ctx.db, letter.writerId), letter.articleId ? findArticleHead(ctx.db, { id: letter.articleId }) : null]);
        return send(reply, view, 200, thanksPage(frame, { name: letter.name, email: writer?.email ?? '', body: letter.body, articleTitle: article?.title ?? '', needsConfirmation: letter.status === 'unconfirmed' }));
      },
    },
    {
      method: 'GET',
      url: '/confirm/:token',
      tag: 'pages',
      summary: "The confirmation page behind the link in the acknowledgement: a button that confirms the writer's address. Opening the link confirms nothing (mail scanners open links).",
      access: 'public',
      hidden: true,
      params: confirmParams,
      responses: { 200: { description: 'The page with the button.', contentType: 'text/html' }, 404: { description: 'Unknown link.', contentType: 'text/html' } },
      handler: async ({ params, req, reply }) => {
        const view = readerView(ctx, req);
        const { t, frame } = view;
        const state = await confirmationState(ctx, params.token);
        if (state === 'unknown') return sendPrivate(reply, view, 404, messagePage(frame, t.t('confirm.unknownTitle'), t.t('confirm.unknownText')));
        if (state === 'withdrawn') return sendPrivate(reply, view, 410, messagePage(frame, t.t('confirm.withdrawnTitle'), t.t('confirm.withdrawnText')));
        if (state === 'already') return sendPrivate(reply, view, 200, messagePage(frame, t.t('confirm.doneTitle'), t.t('confirm.alreadyText')));
        return sendPrivate(
          reply,
          view,
          200,
          confirmActionPage(frame, { title: t.t('confirm.pageTitle'), text: t.t('confirm.text', { publication: frame.publicationName }), action: `/confirm/${encodeURIComponent(params.token)}`, button: t.t('confirm.button') }),
        );
      },
    },
    {
      method: 'POST',
      url: '/confirm/:token',
      tag: 'pages',
      summary: "Confirms a writer's address (the button on the confirmation page).",
      access: 'public',
      hidden: true,
      mutates: true,
      params: confirmParams,
      consumes: 'application/x-www-form-urlencoded',
      responses: { 200: { description: 'Confirmed.', contentType: 'text/html' }, 404: { description: 'Unknown link.', contentType: 'text/html' } },
      handler: async ({ params, req, reply }) => {
        const view = readerView(ctx, req);
        const { t, frame } = view;
        const out = await confirmAddress(ctx, params.token);
        if (out === 'unknown') return sendPrivate(reply, view, 404, messagePage(frame, t.t('confirm.unknownTitle'), t.t('confirm.unknownText')));
        if (out === 'withdrawn') return sendPrivate(reply, view, 410, messagePage(frame, t.t('confirm.withdrawnTitle'), t.t('confirm.withdrawnText')));
        return sendPrivate(reply, view, 200, messagePage(frame, t.t('confirm.doneTitle'), t.t(out === 'already' ? 'confirm.alreadyText' : 'confirm.doneText')));
      },
    },
  ];
}

function formPage(ctx: AppContext, view: ReaderView, article: Parameters<typeof letterFormPage>[1]['article'], values: FormValues, errors: Record<string, string>, idem?: string): string {
  return letterFormPage(view.frame, {
    article,
    values,
    errors,
    // Keep the same token across corrections: a double-click or a retry after
    // a lost answer still stores the letter once.
    idem: idem ?? crypto.randomBytes(18).toString('base64url'),
    powOn: ctx.config.pow,
    wordLimit: ctx.publication.policies.wordLimit,
  });
}

/** A refusal of the whole letter, in the reader's language, saying when to send it if it is for now. */
function refusalMessage(t: Translator, code: string, retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined) return t.t('error.tryLater');
  const when = whenInWords(t.lang, retryAfterSeconds);
  return t.t(code === 'rate_limited' ? 'error.rateLimited' : 'error.busy', { when });
}
