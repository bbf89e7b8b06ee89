// Public output: the letters page, each letter's page, the letters under an
// article (HTML page, bare HTML block, JSON), the three feeds, the embed
// script, and the pages behind writers' links (approve/refuse, withdraw,
// author's reply). Links show a page on GET and act only on POST.
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
import { HTML_SECURITY_HEADERS } from '../../html.ts';
import type { RouteTable } from '../../route.ts';
import { messagePage } from '../forms/presenter.ts';
import { approvalPage, articleLettersFragment, articleLettersPage, confirmActionPage, lettersPage, singleLetterPage } from './presenter.ts';
import { articleLettersParams, articleLettersQuery, letterParams, linkFormBody, linkParams, lettersPageQuery } from './schema.ts';

const PAGE_SIZE = 20;
const FEED_SIZE = 50;
const EMBED_JS = fileURLToPath(new URL('../../static/embed.js', import.meta.url));


function htmlReply(reply: FastifyReply, status: number, body: string, extra: Record<string, string> = {}) {
  return reply.code(status).headers({ 'content-type': 'text/html; charset=utf-8', ...HTML_SECURITY_HEADERS, ...extra }).send(body);
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
    (purpose: Parameters<typeof checkLink>[2], page: (params: { letterId: string; token: string }) => string): RouteTable[number]['handler'] =>
    async ({ params, reply }) => {
      const check = await checkLink(ctx, params.letterId, purpose, params.token);
      if (!check.ok) return htmlReply(reply, check.status, messagePage('Link not usable', check.reason));
      return htmlReply(reply, 200, page(params), PRIVATE_PAGE);
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
      url: '/letters',
      tag: 'public',
      summary: 'Published letters, newest first, grouped by day (HTML).',
      access: 'public',
      hidden: true,
      query: lettersPageQuery,
      responses: { 200: { description: 'The letters page.', contentType: 'text/html' } },
      handler: async ({ query, reply }) => {
        const letters = await listPublished(ctx.db, { limit: PAGE_SIZE + 1, offset: (query.page - 1) * PAGE_SIZE });
        return htmlReply(reply, 200, lettersPage({ publicationName: ctx.publication.name, letters: letters.slice(0, PAGE_SIZE), page: query.page, hasMore: letters.length > PAGE_SIZE }), { 'cache-control': 'public, max-age=60' });
      },
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
      handler: async ({ params, reply }) => {
        const [published] = await listPublished(ctx.db, { id: params.letterId, limit: 1 });
        if (!published) return htmlReply(reply, 404, messagePage('Letter not found', 'There is no published letter at this address.'));
        return htmlReply(reply, 200, singleLetterPage(ctx.publication.name, published));
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
      handler: async ({ params, query, reply }) => {
        const article = await findArticleById(ctx.db, params.articleId);
        if (!article) {
          if (query.format === 'json') return reply.code(404).send({ error: 'not_found', message: 'No such article.' });
          return htmlReply(reply, 404, messagePage('Article not found', 'There is no article at this address.'));
        }
        const letters = await listPublished(ctx.db, { articleId: article.id, limit: 200 });
        reply.header('cache-control', 'public, max-age=60');
        if (query.format === 'json') return { article: { id: article.id, title: article.title, url: article.url }, letters: toJson(letters) };
        // This block is meant to be framed or fetched by the publication's own article pages.
        const framable = { 'content-security-policy': HTML_SECURITY_HEADERS['content-security-policy'].replace("frame-ancestors 'self'", 'frame-ancestors *') };
        if (query.format === 'fragment') return htmlReply(reply, 200, articleLettersFragment(article, letters).value, framable);
        return htmlReply(reply, 200, articleLettersPage(ctx.publication.name, article, letters), framable);
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
      handler: async ({ reply }) => {
        return reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('x-content-type-options', 'nosniff')
          .header('cross-origin-resource-policy', 'cross-origin')
          .send((embedJs ??= fs.readFileSync(EMBED_JS, 'utf8')));
      },
    },
    // Writers' links: a page on GET, the action on POST.
    ...writerLink(
      'approval',
      {
        summary: 'The approval page: the edited letter with changes marked, approve or refuse.',
        handler: async ({ params, reply }) => {
          const check = await checkLink(ctx, params.letterId, 'approval', params.token);
          const letter = check.ok ? await findLetterById(ctx.db, params.letterId) : null;
          if (!check.ok || !letter) return htmlReply(reply, check.ok ? 404 : check.status, messagePage('Link not usable', check.ok ? 'No such letter.' : check.reason));
          if (letter.status !== 'awaiting_approval') return htmlReply(reply, 409, messagePage('Nothing to approve', 'This letter is no longer waiting for your approval.'));
          return htmlReply(reply, 200, approvalPage({ action: linkAction(params, 'approval'), original: letter.body, edited: letter.editedBody ?? letter.body, headline: letter.headline }), PRIVATE_PAGE);
        },
      },
      {
        summary: "The writer's answer: decision=approve|refuse, comment.",
        handler: async ({ params, body, reply }) => {
          const decision = body.decision === 'approve' ? 'approve' : body.decision === 'refuse' ? 'refuse' : null;
          if (!decision) return htmlReply(reply, 422, messagePage('Please choose', 'Please press Approve or Refuse.'));
          const comment = (body.comment ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim().slice(0, 2000);
          const out = await respondByLink(ctx, params.letterId, params.token, decision, comment || undefined);
          if (!out.ok) return htmlReply(reply, out.status, messagePage('Link not usable', out.reason));
          return htmlReply(
            reply,
            200,
            decision === 'approve'
              ? messagePage('Thank you: you approved the edited letter', 'We will let you know when it is published.')
              : messagePage('Thank you: you refused the edited letter', 'The letters editor will read your comment and may come back to you.'),
          );
        },
      },
    ),
    ...writerLink(
      'withdraw',
      {
        summary: 'The withdraw page.',
        handler: linkPage('withdraw', (params) =>
          confirmActionPage({ title: 'Withdraw your letter', text: 'If you withdraw your letter, we will not publish it; if it is already published, we take it down.', action: linkAction(params, 'withdraw'), button: 'Withdraw my letter' }),
        ),
      },
      {
        summary: 'Withdraws the letter.',
        handler: async ({ params, reply }) => {
          const out = await withdrawByLink(ctx, params.letterId, params.token);
          if (!out.ok) return htmlReply(reply, out.status, messagePage('Link not usable', out.reason));
          return htmlReply(reply, 200, messagePage('Your letter is withdrawn', 'We will not publish it, and if it was published it has been taken down.'));
        },
      },
    ),
    ...writerLink(
      'reply',
      {
        summary: "The article author's reply form.",
        handler: linkPage('author_reply', (params) =>
          confirmActionPage({ title: 'Reply to the letter', text: 'Your reply will be published beneath the letter.', action: linkAction(params, 'reply'), button: 'Publish my reply', field: { name: 'body', label: 'Your reply', rows: 10 } }),
        ),
      },
      {
        summary: "Publishes the author's reply.",
        handler: async ({ params, body, reply }) => {
          const out = await submitAuthorReply(ctx, params.letterId, params.token, body.body ?? '');
          if (!out.ok) return htmlReply(reply, out.status, messagePage('Reply not published', out.reason));
          return htmlReply(reply, 200, messagePage('Thank you: your reply is published', 'It appears beneath the letter.'));
        },
      },
    ),
  ];
}
