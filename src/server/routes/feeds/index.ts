// Article feeds from the CMS (admin): list them with the state of their
// polls, add, remove, and poll one now. Polling itself is a job
// (src/feeds/poll.ts).
import type { AppContext } from '../../../context.ts';
import { addFeed, findFeed, listFeeds, pollFeedNow, removeFeed } from '../../../db/repositories/feeds.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { presentFeed } from './presenter.ts';
import { feedBody, feedIdParams } from './schema.ts';

const ADMINS = ['admin'] as const;

export function feedRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/feeds',
      tag: 'feeds',
      summary: 'Article feeds (RSS, Atom, JSON Feed, sitemaps, WordPress) with their last success, last error and counts.',
      access: ADMINS,
      responses: { 200: { description: 'The feeds.' } },
      handler: async () => ({ items: (await listFeeds(ctx.db)).map(presentFeed), pollSeconds: ctx.config.feedPollSeconds }),
    },
    {
      method: 'POST',
      url: '/api/v1/feeds',
      tag: 'feeds',
      summary: 'Add an article feed; it is polled at once and then every FEED_POLL_SECONDS.',
      access: ADMINS,
      mutates: true,
      body: feedBody,
      responses: { 201: { description: 'Added.' }, 409: { description: 'This address is already a feed.' } },
      handler: async ({ body, reply }) => {
        const feed = await ctx.db.writes.run((trx) => addFeed(ctx.db, trx, { url: body.url, format: body.format, origin: 'desk' }));
        if (!feed) throw new HttpError(409, 'conflict', 'This address is already one of the feeds.');
        reply.code(201);
        return presentFeed(feed);
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/feeds/:id',
      tag: 'feeds',
      summary: 'Stop polling a feed (the articles it brought stay).',
      access: ADMINS,
      mutates: true,
      params: feedIdParams,
      responses: { 204: { description: 'Removed.' }, 404: { description: 'No such feed.' }, 409: { description: 'The feed comes from ARTICLE_FEEDS.' } },
      handler: async ({ params, reply }) => {
        const feed = await findFeed(ctx.db, params.id);
        if (!feed) throw new HttpError(404, 'not_found', 'No such feed.');
        if (feed.origin === 'config') throw new HttpError(409, 'conflict', 'This feed is set in the ARTICLE_FEEDS setting; the operator removes it there.');
        await ctx.db.writes.run((trx) => removeFeed(ctx.db, trx, feed.id));
        return reply.code(204).send();
      },
    },
    {
      method: 'POST',
      url: '/api/v1/feeds/:id/poll',
      tag: 'feeds',
      summary: 'Poll a feed now rather than at its next turn.',
      access: ADMINS,
      mutates: true,
      params: feedIdParams,
      responses: { 202: { description: 'Queued, or being polled already.' }, 404: { description: 'No such feed.' } },
      handler: async ({ params, reply }) => {
        if (!(await findFeed(ctx.db, params.id))) throw new HttpError(404, 'not_found', 'No such feed.');
        const queued = await ctx.db.writes.run((trx) => pollFeedNow(ctx.db, trx, params.id));
        reply.code(202);
        return { queued, polling: !queued };
      },
    },
  ];
}
