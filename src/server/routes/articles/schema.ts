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

const stanceCounts = z.object({ agree: z.number(), disagree: z.number(), mixed: z.number() });
const share = z.object({ key: z.string(), label: z.string(), received: z.number(), receivedShare: z.number(), published: z.number(), publishedShare: z.number(), gap: z.number().describe('Published share minus received share, in points.') });

export const insightsOutput = z.object({
  article: z.object({ id: z.string(), title: z.string() }),
  letters: z.number().describe('Letters about the article (spam included in byStatus only as its own status).'),
  byStatus: z.record(z.string(), z.number()),
  byDoor: z.record(z.string(), z.number()).describe('Letters by the door they came through: form, api, email.'),
  perDay: z.array(z.object({ day: z.string(), letters: z.number() })).describe('Letters per UTC day of arrival, oldest first.'),
  campaignShare: z.number().describe('Share (0..1) of the letters that belong to a campaign.'),
  topCampaigns: z.array(z.object({ id: z.string(), letters: z.number() })),
  voices: z.number().describe('People, not copies: letters (spam left out) minus campaign letters plus campaigns.'),
  voiceCount: z.object({ letters: z.number(), campaignLetters: z.number(), campaigns: z.number(), voices: z.number() }),
  stance: stanceCounts.describe("Estimated stance toward the article's argument, over voices (a campaign counts once)."),
  grouping: z.object({
    status: z.enum(['grouped', 'too-few-letters', 'no-letters', 'not-grouped']),
    message: z.string().describe('One plain sentence for the desk, e.g. "Too few letters to group: 5 voices have words to compare, 8 needed."'),
    groupedAt: z.string().nullable(),
    groupedLetters: z.number(),
    queued: z.boolean().describe('A re-grouping is queued.'),
  }),
  themes: z
    .array(
      z.object({
        id: z.string().describe('Stable: kept across new letters and re-groupings while the line of argument persists.'),
        label: z.string().describe("The editors' name, else the theme's distinctive phrases."),
        named: z.boolean().describe('Named by an editor.'),
        phrases: z.array(z.string()),
        letters: z.number(),
        voices: z.number(),
        stance: stanceCounts,
        representatives: z.array(z.object({ letterId: z.string(), excerpt: z.string().describe('The sentence of the letter that states the line best.') })),
        letterIds: z.array(z.string()),
      }),
    )
    .describe('Lines of argument, most voices first.'),
  pendingThemes: z.array(z.object({ name: z.string(), letterIds: z.array(z.string()) })).describe('Theme names editors filed letters under that the next grouping will make themes of.'),
  unassigned: z.number().describe('Letters under no theme (too few letters, or nothing in common with any theme).'),
  fairness: z.object({
    published: z.number(),
    receivedVoices: z.number(),
    stance: z.array(share),
    themes: z.array(share),
    sentences: z.array(z.string()).describe('Plain comparisons, most telling first: "Published: 4 of 5 agree; received: 31% agree."'),
    firstTime: z.object({ received: z.number(), published: z.number() }).describe('Share of first-time writers among the voices received and the letters published.'),
    largestGap: z.number(),
  }),
  note: z.string(),
});

export const themeParams = z.strictObject({ id: z.string().min(1).max(200), themeId: z.string().min(1).max(50) });
export const renameThemeBody = z.strictObject({ name: z.string().trim().min(1, 'a theme needs a name').max(120) });
export const mergeThemeBody = z.strictObject({ into: z.string().min(1).max(50).describe('The theme that keeps its id and name.') });
export const groupingOutput = z.object({ letters: z.number(), themes: z.number(), status: z.string() });
