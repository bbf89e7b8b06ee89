// Campaigns: clusters of near-duplicate letters (one template, many senders),
// read from this node's campaign index after catching up with the database.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { campaignIndex, exclusively } from '../../../screening-store/state.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody } from '../../schema.ts';
import { MEMBERS_IN_DETAIL, MEMBERS_IN_LIST, presentCampaign } from './presenter.ts';
import { campaignActionAnswer, campaignActionBody, campaignIdParams, campaignOutput, listCampaignsQuery } from './schema.ts';
import { listLetters, type Letter } from '../../../db/repositories/letters.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { actionInput, factsOf, takeAction } from '../../../letters/actions.ts';
import { allowedActions, type Status } from '../../../letters/lifecycle.ts';
import { fillReply } from '../../../letters/reply-template.ts';
import { validationFailure } from '../../schema.ts';

const READERS = ['admin', 'editor', 'viewer'] as const;
const ACTORS = ['admin', 'editor'] as const;

/** Every letter of a campaign (as `?campaign=` lists them), oldest first. */
async function membersOf(ctx: AppContext, campaignId: string): Promise<Letter[]> {
  const out: Letter[] = [];
  for (let before: string | undefined; ; ) {
    const page = await listLetters(ctx.db, { campaignId, oldestFirst: true, before, limit: 500 });
    out.push(...page);
    if (page.length < 500) return out;
    before = page[page.length - 1]!.id;
  }
}

export function campaignRoutes(ctx: AppContext): RouteTable {
  const index = () => exclusively(ctx.db, async () => (await campaignIndex(ctx.db, ctx.db.read)).index);
  return [
    {
      method: 'GET',
      url: '/api/v1/campaigns',
      tag: 'campaigns',
      summary: 'Campaigns (clusters of near-duplicate letters), largest first: size, first and last seen, the shared text, members.',
      access: READERS,
      query: listCampaignsQuery,
      responses: { 200: { description: 'A page of campaigns.', schema: z.object({ items: z.array(campaignOutput), total: z.number() }) } },
      handler: async ({ query }) => {
        const all = (await index()).campaigns();
        return { items: all.slice(query.offset, query.offset + query.limit).map((c) => presentCampaign(c, MEMBERS_IN_LIST)), total: all.length };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/campaigns/:id',
      tag: 'campaigns',
      summary: 'One campaign. The id of a campaign since merged into another answers with the surviving campaign.',
      access: READERS,
      params: campaignIdParams,
      responses: { 200: { description: 'The campaign.', schema: campaignOutput }, 404: { description: 'No such campaign.', schema: errorBody } },
      handler: async ({ params }) => {
        const idx = await index();
        const id = idx.campaignOf(params.id);
        const c = id ? idx.campaign(id) : null;
        if (!c) throw new HttpError(404, 'not_found', 'No such campaign.');
        return presentCampaign(c, MEMBERS_IN_DETAIL);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/campaigns/:id/actions',
      tag: 'campaigns',
      summary:
        'Act on a whole campaign (its letters as `GET /api/v1/letters?campaign=ID` lists them): `decline` every letter still waiting in the queue (new or unconfirmed; a letter already shortlisted is kept), with one reply whose {name} and {title} are filled per writer; or `shortlist_representative`: shortlist one letter to stand for the rest. Each letter goes through the same lifecycle as a single action.',
      access: ACTORS,
      mutates: true,
      params: campaignIdParams,
      body: campaignActionBody,
      responses: {
        200: { description: 'One result per letter acted on.', schema: campaignActionAnswer },
        404: { description: 'No letters in this campaign.', schema: errorBody },
        409: { description: 'No letter of the campaign can be shortlisted.', schema: errorBody },
        422: { description: 'The action is malformed.', schema: validationFailure },
      },
      handler: async ({ params, body, actor }) => {
        const members = await membersOf(ctx, params.id);
        if (!members.length) throw new HttpError(404, 'not_found', 'No letters in this campaign.');
        const can = (l: Letter, a: 'decline' | 'shortlist') => allowedActions(l.status as Status, actor!, l.id, factsOf(l)).includes(a);
        if (body.action === 'shortlist_representative') {
          const chosen = body.letter ? members.find((l) => l.id === body.letter) : members.find((l) => can(l, 'shortlist'));
          if (!chosen) throw new HttpError(body.letter ? 404 : 409, body.letter ? 'not_found' : 'conflict', body.letter ? 'That letter is not in this campaign.' : 'No letter of this campaign can be shortlisted now.');
          const out = await takeAction(ctx, chosen.id, { action: 'shortlist' }, actor!);
          return { results: [out.ok ? { id: chosen.id, ok: true, status: out.letter.status } : { id: chosen.id, ok: false, error: out.error }], representative: out.ok ? chosen.id : null };
        }
        const titles = new Map<string, string | null>();
        const results = [];
        // The letters still waiting in the queue; one already picked to stand for the campaign is kept.
        for (const l of members.filter((m) => (m.status === 'new' || m.status === 'unconfirmed') && can(m, 'decline'))) {
          if (l.articleId && !titles.has(l.articleId)) titles.set(l.articleId, (await findArticleById(ctx.db, l.articleId))?.title ?? null);
          const reply = body.reply === undefined ? undefined : fillReply(body.reply, { name: l.name, title: l.articleId ? (titles.get(l.articleId) ?? null) : null });
          // The filled reply passes the same text rules as a single decline's.
          const input = actionInput.safeParse({ action: 'decline', ...(reply ? { reply } : {}) });
          if (!input.success) throw new HttpError(422, 'invalid', `The reply cannot be sent: ${input.error.issues[0]?.message ?? 'invalid'}.`);
          const out = await takeAction(ctx, l.id, input.data, actor!);
          results.push(out.ok ? { id: l.id, ok: true, status: out.letter.status } : { id: l.id, ok: false, error: out.error });
        }
        return { results };
      },
    },
  ];
}
