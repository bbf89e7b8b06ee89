// The desk's queue helpers: counts for the tabs and the article filter, a
// letter's context (article, writer with verification, earlier letters),
// bulk actions and the system tray.
import { listInbound, waitingToBeRead } from '../../../db/repositories/inbound.ts';
import type { AppContext } from '../../../context.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { findLetterById } from '../../../db/repositories/letters.ts';
import { campaignsWithLetters, lettersOfWriter } from '../../../db/repositories/desk-queue.ts';
import type { ListedArticle } from '../../../db/repositories/letter-counts.ts';
import { articlesWithLetters, oneArticleWithLetters, statusTotals } from '../../../db/repositories/letter-counts.ts';
import { campaignName } from '../letters/presenter.ts';
import { findWriterById } from '../../../db/repositories/writers.ts';
import { takeAction } from '../../../letters/actions.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { ACTORS, READERS } from './access.ts';
import { presentLetterContext, presentTrayItem } from './presenter.ts';
import { bulkBody, countsQuery, deskIdParams, trayQuery } from './schema.ts';
import { keysetPage } from '../../paging.ts';

export function queueRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/queue/counts',
      tag: 'desk',
      summary:
        "Letters per status (the queue's tabs); the articles with the most letters in `status` (the article filter; `article` adds the one open) and the newest campaigns with letters in it (the campaign filter), a hundred of each at most, with how many more there are.",
      access: READERS,
      query: countsQuery,
      responses: { 200: { description: 'Counts.' } },
      handler: async ({ query }): Promise<QueueCounts> => {
        // From the counters (migration 0900), not a count of every letter; a
        // bounded answer however many articles and campaigns have letters.
        const statuses = query.status ?? null;
        const [byStatus, articles, campaigns] = await Promise.all([
          statusTotals(ctx.db),
          articlesWithLetters(ctx.db, statuses, LISTED),
          campaignsWithLetters(ctx.db, statuses, LISTED),
        ]);
        const open = query.article === undefined ? undefined : query.article === 'none' ? null : query.article;
        // The article the desk has open, when not among the most, comes last (and is not counted among those not listed).
        const extra = open !== undefined && !articles.items.some((a) => a.id === open) ? await oneArticleWithLetters(ctx.db, statuses, open) : null;
        return {
          status: statuses,
          byStatus,
          byArticle: extra ? [...articles.items, extra] : articles.items,
          // At least 0: the open article is read after the others, and a letter may have come between.
          moreArticles: Math.max(0, articles.all - articles.items.length - (extra && extra.letters !== 0 ? 1 : 0)),
          byCampaign: campaigns.items.map((c) => ({ id: c.id, name: campaignName(c.first), letters: c.letters, total: c.total })),
          moreCampaigns: campaigns.more,
          moreCampaignsThan: campaigns.moreThan,
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/letters/:id/context',
      tag: 'desk',
      summary: "What the desk shows beside a letter: the article, the writer's details and verification, their earlier letters.",
      access: READERS,
      params: deskIdParams,
      responses: { 200: { description: 'The context.' }, 404: { description: 'No such letter.' } },
      handler: async ({ params }) => {
        const letter = await findLetterById(ctx.db, params.id);
        if (!letter) throw new HttpError(404, 'not_found', 'No such letter.');
        const [article, writer, letters] = await Promise.all([
          letter.articleId ? findArticleById(ctx.db, letter.articleId) : null,
          findWriterById(ctx.db, letter.writerId),
          lettersOfWriter(ctx.db, letter.writerId, 50),
        ]);
        const raw = typeof letter.meta.raw === 'string' ? letter.meta.raw : null;
        return presentLetterContext(letter.id, article, writer ?? null, letters, raw);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/letters/bulk',
      tag: 'desk',
      summary: 'Take one action on up to 200 letters; each goes through the same lifecycle as a single action, and each answer says how it went.',
      access: ACTORS,
      mutates: true,
      body: bulkBody,
      responses: { 200: { description: 'One result per letter.' } },
      handler: async ({ body, actor }) => {
        const results = [];
        for (const id of [...new Set<string>(body.ids)]) {
          const out = await takeAction(ctx, id, body.input, actor!);
          results.push(out.ok ? { id, ok: true, status: out.letter.status } : { id, ok: false, error: out.error });
        }
        return { results };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/tray',
      tag: 'desk',
      summary: 'The system tray: auto-replies, bounces, list mail and spam kept out of the queue, and quarantined mail, each with the reason.',
      access: READERS,
      query: trayQuery,
      responses: { 200: { description: 'Tray items, newest first.' } },
      handler: async ({ query }) => {
        const items = await listInbound(ctx.db, {
          kind: query.kind ? [query.kind] : undefined,
          status: query.status ? [query.status] : ['tray', 'quarantined'],
          before: query.cursor,
          limit: query.limit + 1,
        });
        const { page, nextCursor } = keysetPage(items, query.limit);
        return {
          items: page.map(presentTrayItem),
          nextCursor,
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/tray/waiting',
      tag: 'desk',
      summary: 'Mail taken by SMTP and not read yet (it joins the queue or the tray as it is read): how many, counted up to 10,000 (`more`: past it), and when the oldest came.',
      access: READERS,
      responses: { 200: { description: '`{count, more, oldestAt}`.' } },
      handler: async () => {
        const waiting = await waitingToBeRead(ctx.db, WAITING_COUNTED);
        return { count: waiting.count, more: waiting.more, oldestAt: waiting.oldestAt?.toISOString() ?? null };
      },
    },
  ];
}

/** Mail waiting to be read is counted up to this (past it: "more than"). */
const WAITING_COUNTED = 10_000;

/** How many articles, and how many campaigns, the counts list at most (a filter an editor can read). */
const LISTED = 100;

export type QueueCounts = {
  /** The statuses the lists count letters in (null: any). */
  status: string[] | null;
  byStatus: Record<string, number>;
  /** Most letters in the statuses first (then by id); id null: letters matched to no article. The article asked for comes last when it is not among them. */
  byArticle: ListedArticle[];
  /** Articles with letters in the statuses that are not listed. */
  moreArticles: number;
  /** Newest first. */
  byCampaign: { id: string; name: string; letters: number; total: number }[];
  /** Campaigns with letters in the statuses that are not listed, counted up to a thousand… */
  moreCampaigns: number;
  /** …and whether there are more than that. */
  moreCampaignsThan: boolean;
};
