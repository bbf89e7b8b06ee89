// The desk's queue helpers: counts for the tabs and the article filter, a
// letter's context (article, writer with verification, earlier letters),
// bulk actions and the system tray.
import { listInbound } from '../../../db/repositories/inbound.ts';
import type { AppContext } from '../../../context.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { findLetterById } from '../../../db/repositories/letters.ts';
import { articleTitles, countedCampaignFirsts, letterSubjects, lettersOfWriter, type NamingLetter } from '../../../db/repositories/desk-queue.ts';
import { letterCounts } from '../../../db/repositories/letter-counts.ts';
import { findWriterById } from '../../../db/repositories/writers.ts';
import { takeAction } from '../../../letters/actions.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { ACTORS, READERS } from './access.ts';
import { presentLetterContext, presentTrayItem } from './presenter.ts';
import { bulkBody, deskIdParams, trayQuery } from './schema.ts';
import { keysetPage } from '../../paging.ts';

export function queueRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/queue/counts',
      tag: 'desk',
      summary: 'Letters per status, per article and status (for the queue tabs and the article filter), and per campaign and status (the queue shows a campaign as one row), with each campaign\'s name (its first letter\'s subject).',
      access: READERS,
      responses: { 200: { description: 'Counts.' } },
      handler: async () => {
        // From the counters (migration 0900), not a count of every letter; the
        // newest campaigns' names are read beside them, from the same counters
        // (on PostgreSQL another connection: the answer waits for the slower).
        const [counts, firsts] = await Promise.all([letterCounts(ctx.db), countedCampaignFirsts(ctx.db, NAMED_CAMPAIGNS)]);
        const byStatus: Record<string, number> = {};
        const campaigns = new Map<string, { id: string; total: number; byStatus: Record<string, number> }>();
        const articles = new Map<string, { id: string | null; title: string | null; total: number; byStatus: Record<string, number> }>();
        const add = <T extends { total: number; byStatus: Record<string, number> }>(m: Map<string, T>, key: string, fresh: () => T, status: string, n: number) => {
          const e = m.get(key) ?? fresh();
          e.total += n;
          e.byStatus[status] = (e.byStatus[status] ?? 0) + n;
          m.set(key, e);
        };
        for (const c of counts) {
          if (c.dimension === 'campaign') {
            add(campaigns, c.key!, () => ({ id: c.key!, total: 0, byStatus: {} }), c.status, c.n);
            continue;
          }
          // Every letter counts under its article (or none): the statuses' totals.
          byStatus[c.status] = (byStatus[c.status] ?? 0) + c.n;
          add(articles, c.key ?? '', () => ({ id: c.key, title: null, total: 0, byStatus: {} }), c.status, c.n);
        }
        // Newest first, as they are named: a list that keeps its order from one refresh to the next.
        const newestFirst = [...campaigns.values()].sort((x, y) => (x.id < y.id ? 1 : x.id > y.id ? -1 : 0));
        // A campaign whose first letter came between the two reads is named now (one gone is not looked for again).
        const unnamed = newestFirst.slice(0, NAMED_CAMPAIGNS).flatMap((c) => (firsts.has(c.id) ? [] : [c.id]));
        // The articles' titles by their ids: an index look-up each, however many articles the publication has.
        const [titles, more] = await Promise.all([
          articleTitles(ctx.db, [...articles.values()].flatMap((a) => (a.id ? [a.id] : []))),
          unnamed.length ? letterSubjects(ctx.db, unnamed) : null,
        ]);
        for (const [id, first] of more ?? []) firsts.set(id, first);
        for (const a of articles.values()) if (a.id) a.title = titles.get(a.id) ?? null;
        const byCampaign = newestFirst.map((c) => ({ ...c, name: campaignName(firsts.get(c.id)) }));
        return { byStatus, byArticle: [...articles.values()].sort((x, y) => y.total - x.total), byCampaign };
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
  ];
}

/** Campaigns named by their first letter, the newest first; older ones are called "Campaign". */
const NAMED_CAMPAIGNS = 500;

/** A campaign's name: its first letter's subject, or its first eight words (a word the text read cuts off is left out). */
function campaignName(first: NamingLetter | null | undefined): string {
  if (!first) return 'Campaign';
  if (first.subject?.trim()) return first.subject.trim();
  const words = first.start.split(/\s+/).filter(Boolean);
  if (first.cut && !/\s$/.test(first.start)) words.pop();
  return words.slice(0, 8).join(' ') + (words.length > 8 || first.cut ? ' …' : '');
}

export type QueueCounts = {
  byStatus: Record<string, number>;
  byArticle: { id: string | null; title: string | null; total: number; byStatus: Record<string, number> }[];
  byCampaign: { id: string; name: string; total: number; byStatus: Record<string, number> }[];
};
