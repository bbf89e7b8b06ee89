// Public output: the front page (the letters page), the letters page, each
// letter's page, the letters under an article (HTML page, bare HTML block,
// JSON), the three feeds, the embed script, the theme and icon, and the pages
// behind writers' links (approve/refuse, withdraw, consent, author's reply).
// Links show a page on GET and act only on POST. Pages are in the reader's
// language (src/i18n) with the publication's name, colours and logo.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { findLetterById } from '../../../db/repositories/letters.ts';
import { listPublished, type PublishedLetter } from '../../../db/repositories/published.ts';
import { respondByLink } from '../../../publishing/approval.ts';
import { submitAuthorReply } from '../../../publishing/author-replies.ts';
import { toJson } from '../../../publishing/export.ts';
import { atomFeed, jsonFeed, rssFeed } from '../../../publishing/feeds.ts';
import { checkLink } from '../../../publishing/links.ts';
import { withdrawByLink } from '../../../publishing/withdraw.ts';
import { consentByLink } from '../../../publishing/consent.ts';
import { readerSettings } from '../../../publishing/readers.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { faviconSvg, themeCss } from '../../html.ts';
import { readerView, sendPage, type ReaderView } from '../../readers.ts';
import type { RouteTable } from '../../route.ts';
import { approvalPage, articleLettersFragment, articleLettersPage, confirmActionPage, embedMessages, lettersPage, messagePage, singleLetterPage } from './presenter.ts';
import { articleLettersParams, articleLettersQuery, letterParams, linkFormBody, linkParams, lettersPageQuery } from './schema.ts';

const PAGE_SIZE = 20;
const FEED_SIZE = 50;
const EMBED_JS = fileURLToPath(new URL('../../static/embed.js', import.meta.url));


const LINK_PROBLEM: Record<string, MessageKey> = { invalid: 'link.invalid', other_letter: 'link.otherLetter', used: 'link.used', expired: 'link.expired' };

/** A writer's link that cannot be used, said in the reader's language. */
function linkProblemPage(reply: FastifyReply, view: ReaderView, status: number, code: string) {
  return sendPage(reply, view, status, messagePage(view.frame, view.t.t('link.unusableTitle'), view.t.t(LINK_PROBLEM[code] ?? 'link.invalid')), PRIVATE_PAGE);
}

/** The three feed formats: where each is served, its media type, and how it is written. */
const FEEDS = [
  { url: '/feeds/letters.atom', name: 'an Atom 1.0 feed', type: 'application/atom+xml', render: atomFeed },
  { url: '/feeds/letters.rss', name: 'an RSS 2.0 feed', type: 'application/rss+xml', render: rssFeed },
  { url: '/feeds/letters.json', name: 'a JSON Feed 1.1', type: 'application/feed+json', render: (info: Parameters<typeof jsonFeed>[0], letters: Parameters<typeof jsonFeed>[1]) => JSON.stringify(jsonFeed(info, letters)) },
] as const;

/** The embed script, read from disk once. */
let embedJs: string | undefined;

/** Writers' link pages hold a secret in their URL: never cached, never sent on as a referrer. */
const PRIVATE_PAGE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

export function publicRoutes(ctx: AppContext): RouteTable {
  /** A writer's link page: the link is checked, then the page for it is shown. */
  const linkPage =
    (purpose: Parameters<typeof checkLink>[2], page: (view: ReaderView, params: { letterId: string; token: string }) => string): RouteTable[number]['handler'] =>
    async ({ params, req, reply }) => {
      const view = readerView(ctx, req);
      const check = await checkLink(ctx, params.letterId, purpose, params.token);
      if (!check.ok) return linkProblemPage(reply, view, check.status, check.code);
      return sendPage(reply, view, 200, page(view, params), PRIVATE_PAGE);
    };

  /** The letters page: newest first, a page of PAGE_SIZE at a time. */
  const lettersPageHandler: RouteTable[number]['handler'] = async ({ query, req, reply }) => {
    const view = readerView(ctx, req);
    const pageNo = (query as { page?: number }).page ?? 1;
    const letters = await listPublished(ctx.db, { limit: PAGE_SIZE + 1, offset: (pageNo - 1) * PAGE_SIZE });
    return sendPage(reply, view, 200, lettersPage(view.frame, { letters: letters.slice(0, PAGE_SIZE), page: pageNo, hasMore: letters.length > PAGE_SIZE }), { 'cache-control': 'public, max-age=60' });
  };

  const feedInfo = (letters: PublishedLetter[]) => ({ title: `${ctx.publication.name}: letters`, publicUrl: ctx.config.publicUrl, updated: letters[0]?.updatedAt ?? ctx.publication.createdAt });
  const linkAction = (p: { letterId: string; token: string }, kind: string) => `/letters/${encodeURIComponent(p.letterId)}/${kind}/${encodeURIComponent(p.token)}`;

  type Handler = RouteTable[number]['handler'];
  /** A writer's link at `/letters/:letterId/{kind}/:token`: its page on GET, its action (a form POST) on POST; neither is in the API document. */
  const writerLink = (kind: string, page: { summary: string; handler: Handler }, action: { summary: string; handler: Handler }): RouteTable => [
    { method: 'GET', url: `/letters/:letterId/${kind}/:token`, tag: 'pages', summary: page.summary, access: 'public', hidden: true, params: linkParams, responses: { 200: { description: 'Page.', contentType: 'text/html' } }, handler: page.handler },
    {
      method: 'POST',
      url: `/letters/:letterId/${kind}/:token`,
      tag: 'pages',
      summary: action.summary,
      access: 'public',
      hidden: true,
      mutates: true,
      params: linkParams,
      body: linkFormBody,
      consumes: 'application/x-www-form-urlencoded',
      responses: { 200: { description: 'Done.', contentType: 'text/html' } },
      handler: action.handler,
    },
  ];

  return [
    {
      method: 'GET',
      url: '/',
      tag: 'public',
      summary: "The front page: the publication's letters page.",
      access: 'public',
      hidden: true,
      query: lettersPageQuery,
      responses: { 200: { description: 'The letters page.', contentType: 'text/html' } },
      handler: lettersPageHandler,
    },
    {
      method: 'GET',
      url: '/letters',
      tag: 'public',
      summary: 'Published letters, newest first, grouped by day (HTML).',
      access: 'public',
      hidden: true,
      query: lettersPageQuery,
      responses: { 200: { description: 'The letters page.', contentType: 'text/html' } },
      handler: lettersPageHandler,
    },
    {
      method: 'GET',
      url: '/theme.css',
      tag: 'public',
      summary: "The publication's colours for its public pages (CSS custom properties).",
      access: 'public',
      hidden: true,
      responses: { 200: { description: 'CSS.', contentType: 'text/css' } },
      handler: async ({ reply }) => reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(themeCss(readerSettings(ctx.publication).brand)),
    },
    {
      method: 'GET',
      url: '/favicon.svg',
      tag: 'public',
      summary: 'The site icon.',
      access: 'public',
      hidden: true,
      responses: { 200: { description: 'SVG.', contentType: 'image/svg+xml' } },
      handler: async ({ reply }) => reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=3600').send(faviconSvg(readerSettings(ctx.publication).brand)),
    },
    {
      method: 'GET',
      url: '/favicon.ico',
      tag: 'public',
      summary: 'Where browsers look for the site icon: the SVG icon.',
      access: 'public',
      hidden: true,
      responses: { 301: { description: 'To /favicon.svg.' } },
      handler: async ({ reply }) => reply.redirect('/favicon.svg', 301),
    },
    {
      method: 'GET',
      url: '/letters/:letterId',
      tag: 'public',
      summary: 'One published letter (HTML).',
      access: 'public',
      hidden: true,
      params: letterParams,
      responses: { 200: { description: 'The letter.', contentType: 'text/html' } },
      handler: async ({ params, req, reply }) => {
        const view = readerView(ctx, req);
        const [published] = await listPublished(ctx.db, { id: params.letterId, limit: 1 });
        if (!published) return sendPage(reply, view, 404, messagePage(view.frame, view.t.t('notFound.letterTitle'), view.t.t('notFound.letterText')));
        return sendPage(reply, view, 200, singleLetterPage(view.frame, published));
      },
    },
    {
      method: 'GET',
      url: '/articles/:articleId/letters',
      tag: 'public',
      summary: 'Published letters about an article: an HTML page (default), the bare HTML block (`format=fragment`) or JSON (`format=json`).',
      access: 'public',
      params: articleLettersParams,
      query: articleLettersQuery,
      responses: { 200: { description: 'The letters.' }, 404: { description: 'No such article.' } },
      handler: async ({ params, query, req, reply }) => {
        const view = readerView(ctx, req);
        const article = await findArticleById(ctx.db, params.articleId);
        if (!article) {
          if (query.format === 'json') return reply.code(404).send({ error: 'not_found', message: 'No such article.' });
          return sendPage(reply, view, 404, messagePage(view.frame, view.t.t('notFound.articleTitle'), view.t.t('notFound.articleText')));
        }
        const html = query.format === 'html';
        const letters = await listPublished(ctx.db, { articleId: article.id, limit: html ? PAGE_SIZE + 1 : 200, offset: html ? (query.page - 1) * PAGE_SIZE : 0 });
        reply.header('cache-control', 'public, max-age=60');
        if (query.format === 'json') return { article: { id: article.id, title: article.title, url: article.url }, letters: toJson(letters) };
        // This block is meant to be framed or fetched by the publication's own article pages.
        const framable = { 'content-security-policy': view.headers['content-security-policy']!.replace("frame-ancestors 'self'", 'frame-ancestors *') };
        if (query.format === 'fragment') return sendPage(reply, view, 200, articleLettersFragment(view.t, article, letters).value, framable);
        return sendPage(reply, view, 200, articleLettersPage(view.frame, article, letters.slice(0, PAGE_SIZE), { page: query.page, hasMore: letters.length > PAGE_SIZE }), framable);
      },
    },
    ...FEEDS.map(
      (feed): RouteTable[number] => ({
        method: 'GET',
        url: feed.url,
        tag: 'public',
        summary: `Published letters as ${feed.name}.`,
        access: 'public',
        responses: { 200: { description: `${feed.name}.`, contentType: feed.type } },
        handler: async ({ reply }) => {
          const letters = await listPublished(ctx.db, { limit: FEED_SIZE });
          return reply.header('content-type', `${feed.type}; charset=utf-8`).header('cache-control', 'public, max-age=300').send(feed.render(feedInfo(letters), letters));
        },
      }),
    ),
    {
      method: 'GET',
      url: '/embed.js',
      tag: 'public',
      summary: 'The embed script: `<script src=".../embed.js" data-article="ID" async></script>` shows the letter form and published letters.',
      access: 'public',
      responses: { 200: { description: 'JavaScript.', contentType: 'text/javascript' } },
      handler: async ({ req, reply }) => {
        const view = readerView(ctx, req);
        // The embed's words in the page's language; JSON is a JavaScript expression, and nothing in it is reader text.
        const script = (embedJs ??= fs.readFileSync(EMBED_JS, 'utf8')).replace('/*MESSAGES*/ {}', JSON.stringify(embedMessages(view.t, ctx.publication.name)));
        if (view.headers.vary) reply.header('vary', view.headers.vary);
        return reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('x-content-type-options', 'nosniff')
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(script);
      },
    },
    // Writers' links: a page on GET, the action on POST.
    ...writerLink(
      'approval',
      {
        summary: 'The approval page: the edited letter with changes marked, approve or refuse.',
        handler: async ({ params, req, reply }) => {
          const view = readerView(ctx, req);
          const { t, frame } = view;
          const check = await checkLink(ctx, params.letterId, 'approval', params.token);
          if (!check.ok) return linkProblemPage(reply, view, check.status, check.code);
          const letter = await findLetterById(ctx.db, params.letterId);
          if (!letter) return sendPage(reply, view, 404, messagePage(frame, t.t('link.unusableTitle'), t.t('link.noLetter')), PRIVATE_PAGE);
          if (letter.status !== 'awaiting_approval') return sendPage(reply, view, 409, messagePage(frame, t.t('approval.nothingTitle'), t.t('approval.nothingText')), PRIVATE_PAGE);
          return sendPage(reply, view, 200, approvalPage(frame, { action: linkAction(params, 'approval'), original: letter.body, edited: letter.editedBody ?? letter.body, headline: letter.headline, asksConsent: !letter.consentAt }), PRIVATE_PAGE);
        },
      },
      {
        summary: "The writer's answer: decision=approve|refuse, comment.",
        handler: async ({ params, body, req, reply }) => {
          const view = readerView(ctx, req);
          const { t, frame } = view;
          const decision = body.decision === 'approve' ? 'approve' : body.decision === 'refuse' ? 'refuse' : null;
          if (!decision) return sendPage(reply, view, 422, messagePage(frame, t.t('approval.chooseTitle'), t.t('approval.choose')), PRIVATE_PAGE);
          const comment = (body.comment ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim().slice(0, 2000);
          const out = await respondByLink(ctx, params.letterId, params.token, decision, comment || undefined);
          if (!out.ok) return out.code ? linkProblemPage(reply, view, out.status, out.code) : sendPage(reply, view, out.status, messagePage(frame, t.t('approval.nothingTitle'), t.t('approval.nothingText')), PRIVATE_PAGE);
          return sendPage(
            reply,
            view,
            200,
            decision === 'approve' ? messagePage(frame, t.t('approval.approvedTitle'), t.t('approval.approvedText')) : messagePage(frame, t.t('approval.refusedTitle'), t.t('approval.refusedText')),
            PRIVATE_PAGE,
          );
        },
      },
    ),
    ...writerLink(
      'withdraw',
      {
        summary: 'The withdraw page.',
        handler: linkPage('withdraw', ({ t, frame }, params) =>
          confirmActionPage(frame, { title: t.t('withdraw.pageTitle'), text: t.t('withdraw.text'), action: linkAction(params, 'withdraw'), button: t.t('withdraw.button') }),
        ),
      },
      {
        summary: 'Withdraws the letter.',
        handler: async ({ params, req, reply }) => {
          const view = readerView(ctx, req);
          const { t, frame } = view;
          const out = await withdrawByLink(ctx, params.letterId, params.token);
          if (!out.ok) return out.code ? linkProblemPage(reply, view, out.status, out.code) : sendPage(reply, view, out.status, messagePage(frame, t.t('link.unusableTitle'), t.t('withdraw.tooLate')), PRIVATE_PAGE);
          return sendPage(reply, view, 200, messagePage(frame, t.t('withdraw.doneTitle'), t.t('withdraw.doneText')), PRIVATE_PAGE);
        },
      },
    ),
    ...writerLink(
      'consent',
      {
        summary: 'The consent page for a letter sent by email: what the writer agrees to, and the button.',
        handler: async ({ params, req, reply }) => {
          const view = readerView(ctx, req);
          const { t, frame } = view;
          const check = await checkLink(ctx, params.letterId, 'consent', params.token);
          if (!check.ok) return linkProblemPage(reply, view, check.status, check.code);
          const letter = await findLetterById(ctx.db, params.letterId);
          if (!letter) return sendPage(reply, view, 404, messagePage(frame, t.t('link.unusableTitle'), t.t('link.noLetter')), PRIVATE_PAGE);
          if (letter.consentAt) return sendPage(reply, view, 200, messagePage(frame, t.t('consent.doneTitle'), t.t('consent.alreadyText')), PRIVATE_PAGE);
          const publication = frame.publicationName;
          return sendPage(
            reply,
            view,
            200,
            confirmActionPage(frame, { title: t.t('consent.pageTitle'), text: t.t('consent.text', { publication }), agreement: t.t('consent.agreement', { publication }), action: linkAction(params, 'consent'), button: t.t('consent.button') }),
            PRIVATE_PAGE,
          );
        },
      },
      {
        summary: "Records the writer's consent to publication.",
        handler: async ({ params, req, reply }) => {
          const view = readerView(ctx, req);
          const { t, frame } = view;
          const out = await consentByLink(ctx, params.letterId, params.token);
          if (!out.ok) return out.code === 'closed' ? sendPage(reply, view, out.status, messagePage(frame, t.t('link.unusableTitle'), t.t('confirm.withdrawnText')), PRIVATE_PAGE) : linkProblemPage(reply, view, out.status, out.code);
          return sendPage(reply, view, 200, messagePage(frame, t.t('consent.doneTitle'), t.t(out.already ? 'consent.alreadyText' : 'consent.doneText')), PRIVATE_PAGE);
        },
      },
    ),
    ...writerLink(
      'reply',
      {
        summary: "The article author's reply form.",
        handler: linkPage('author_reply', ({ t, frame }, params) =>
          confirmActionPage(frame, { title: t.t('reply.pageTitle'), text: t.t('reply.text'), action: linkAction(params, 'reply'), button: t.t('reply.button'), field: { name: 'body', label: t.t('reply.label'), rows: 10 } }),
        ),
      },
      {
        summary: "Publishes the author's reply.",
        handler: async ({ params, body, req, reply }) => {
          const view = readerView(ctx, req);
          const { t, frame } = view;
          const out = await submitAuthorReply(ctx, params.letterId, params.token, body.body ?? '');
          if (!out.ok) return out.code === 'empty' || out.code === 'too_long' || !out.code ? sendPage(reply, view, out.status, messagePage(frame, t.t('reply.failedTitle'), t.t(out.code === 'empty' ? 'reply.empty' : 'reply.tooLong')), PRIVATE_PAGE) : linkProblemPage(reply, view, out.status, out.code);
          return sendPage(reply, view, 200, messagePage(frame, t.t('reply.doneTitle'), t.t('reply.doneText')));
        },
      },
    ),
  ];
}
