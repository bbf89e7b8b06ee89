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

/** What can be done to a whole campaign at once (the desk's campaign row). */
export const campaignActionBody = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('decline'),
    reply: z
      .string()
      .max(10_000)
      .refine((s) => s.trim().length > 0, 'the reply needs text')
      .optional()
      .describe('One reply for every writer; {name} and {title} are filled per letter. No reply is sent when absent.'),
  }),
  z.strictObject({
    action: z.literal('shortlist_representative'),
    letter: z.string().min(1).max(100).optional().describe('The member to shortlist; the campaign\'s first letter still open when absent.'),
  }),
]);

export const campaignActionAnswer = z.object({
  results: z.array(z.object({ id: z.string(), ok: z.boolean(), status: z.string().optional(), error: z.string().optional() })),
  representative: z.string().nullable().optional(),
});
export type CampaignActionAnswer = z.output<typeof campaignActionAnswer>;
