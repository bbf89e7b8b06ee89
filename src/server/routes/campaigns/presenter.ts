// Campaigns as the API shows them: members capped (the full list is a letters query).
import type { Campaign } from '../../../screening/campaigns.ts';

/** Members listed per campaign; all of them: `GET /api/v1/letters?campaign=ID`. */
export const MEMBERS_IN_LIST = 50;
export const MEMBERS_IN_DETAIL = 1000;

export function presentCampaign(c: Campaign, cap: number) {
  return {
    id: c.id,
    kind: c.kind,
    size: c.size,
    firstSeen: c.firstSeen.toISOString(),
    lastSeen: c.lastSeen.toISOString(),
    sharedText: c.sharedText,
    members: c.members.slice(0, cap),
    membersTruncated: c.members.length > cap,
  };
}
