// Campaigns: clusters of near-duplicate letters (one template, many senders),
// read from this node's campaign index after catching up with the database.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { campaignIndex, exclusively } from '../../../screening-store/state.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody } from '../../schema.ts';
import { MEMBERS_IN_DETAIL, MEMBERS_IN_LIST, presentCampaign } from './presenter.ts';
import { campaignIdParams, campaignOutput, listCampaignsQuery } from './schema.ts';

const READERS = ['admin', 'editor', 'viewer'] as const;

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
  ];
}
