// Shapes of the campaigns API.
import { z } from 'zod';

export const campaignOutput = z.object({
  id: z.string(),
  kind: z.enum(['template', 'talking_points']).describe('A template copied with edits, or letters written around shared talking points (the shared text is then the phrases).'),
  size: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  sharedText: z.array(z.object({ text: z.string(), letters: z.number() })),
  members: z.array(z.string()).describe('Letter ids, oldest first (capped; the full list: GET /api/v1/letters?campaign=ID).'),
  membersTruncated: z.boolean(),
});

export const listCampaignsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const campaignIdParams = z.strictObject({ id: z.string().min(1).max(100) });
