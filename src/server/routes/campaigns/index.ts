// Campaigns: clusters of near-duplicate letters (one template, many senders),
// read from this node's campaign index after catching up with the database.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import type { Campaign } from '../../../screening/campaigns.ts';
import { campaignIndex, exclusively } from '../../../screening-store/state.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody } from '../letters/schema.ts';

const READERS = ['admin', 'editor', 'viewer'] as const;
/** Members listed per campaign; all of them: `GET /api/v1/letters?campaign=ID`. */
const MEMBERS_IN_LIST = 50;
const MEMBERS_IN_DETAIL = 1000;

const campaignOutput = z.object({
  id: z.string(),
  size: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  sharedText: z.array(z.object({ text: z.string(), letters: z.number() })),
  members: z.array(z.string()).describe('Letter ids, oldest first (capped; the full list: GET /api/v1/letters?campaign=ID).'),
  membersTruncated: z.boolean(),
});

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

function present(c: Campaign, cap: number) {
  return {
    id: c.id,
    size: c.size,
    firstSeen: c.firstSeen.toISOString(),
    lastSeen: c.lastSeen.toISOString(),
    sharedText: c.sharedText,
    members: c.members.slice(0, cap),
    membersTruncated: c.members.length > cap,
  };
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
      query: listQuery,
      responses: { 200: { description: 'A page of campaigns.', schema: z.object({ items: z.array(campaignOutput), total: z.number() }) } },
      handler: async ({ query }) => {
        const all = (await index()).campaigns();
        return { items: all.slice(query.offset, query.offset + query.limit).map((c) => present(c, MEMBERS_IN_LIST)), total: all.length };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/campaigns/:id',
      tag: 'campaigns',
      summary: 'One campaign. The id of a campaign since merged into another answers with the surviving campaign.',
      access: READERS,
      params: z.strictObject({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'The campaign.', schema: campaignOutput }, 404: { description: 'No such campaign.', schema: errorBody } },
      handler: async ({ params }) => {
        const idx = await index();
        const id = idx.campaignOf(params.id);
        const c = id ? idx.campaign(id) : null;
        if (!c) throw new HttpError(404, 'not_found', 'No such campaign.');
        return present(c, MEMBERS_IN_DETAIL);
      },
    },
  ];
}
