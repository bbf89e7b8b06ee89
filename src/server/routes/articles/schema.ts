// Shapes of the articles API: what it accepts and what it answers.
import { z } from 'zod';

export { articleInput } from '../../../articles/schema.ts';

export const articleOutput = z.object({
  id: z.string(),
  url: z.string(),
  title: z.string(),
  author: z.string().nullable(),
  publishedAt: z.string().nullable(),
  section: z.string().nullable(),
  createdAt: z.string(),
});

export const listArticlesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) });
export const articleIdParams = z.strictObject({ id: z.string().min(1).max(200) });

export const insightsOutput = z.object({
  article: z.object({ id: z.string(), title: z.string() }),
  letters: z.number(),
  byStatus: z.record(z.string(), z.number()),
  perDay: z.array(z.object({ day: z.string(), letters: z.number() })).describe('Letters per UTC day of arrival, oldest first.'),
  campaignShare: z.number().describe('Share (0..1) of the letters that belong to a campaign.'),
  topCampaigns: z.array(z.object({ id: z.string(), letters: z.number() })),
});
