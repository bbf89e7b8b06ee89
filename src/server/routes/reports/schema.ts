// Shapes of the reports API: the weekly letters report.
import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'a real day');

export const weeklyQuery = z.strictObject({
  from: day.optional().describe('First day of the week (UTC); default: seven days ago.'),
  format: z.enum(['json', 'markdown', 'html']).default('json'),
});

const stanceCounts = z.object({ agree: z.number(), disagree: z.number(), mixed: z.number() });

export const weeklyOutput = z.object({
  title: z.string(),
  from: z.string(),
  to: z.string().describe('Last day of the week, inclusive.'),
  letters: z.number(),
  voices: z.number().describe('Each campaign counted once.'),
  articles: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        letters: z.number(),
        voices: z.number(),
        stance: stanceCounts,
        themes: z.array(z.object({ id: z.string(), label: z.string(), letters: z.number(), voices: z.number(), stance: stanceCounts })),
      }),
    )
    .describe('The most-written-about articles, by voices.'),
  campaigns: z.array(z.object({ id: z.string(), articleId: z.string(), articleTitle: z.string(), letters: z.number() })).describe('Campaigns set aside: each counted as one voice.'),
});
