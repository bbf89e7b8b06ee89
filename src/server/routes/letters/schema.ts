// Shapes of the letters API: what it accepts and what it answers.
import { z } from 'zod';
import { EDITOR_ACTIONS, STATUSES } from '../../../letters/lifecycle.ts';
import { MATCH_METHODS } from '../../../matching/match.ts';

export const letterIdParams = z.strictObject({ id: z.string().min(1).max(100) });

/** Statuses, comma-separated (absent: any). */
export const statusList = z
  .string()
  .optional()
  .transform((s) => {
    const list = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    return list.length ? list : undefined;
  })
  .refine((list) => !list || list.every((s) => (STATUSES as readonly string[]).includes(s)), `status must be one of ${STATUSES.join(', ')}`);

export const listLettersQuery = z.strictObject({
  status: statusList,
  article: z.string().max(200).optional().describe('An article id, or "none" for letters not matched to an article.'),
  campaign: z.string().max(200).optional(),
  q: z.string().max(500).optional().describe('Full-text search in name, town, subject and text.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor from the previous page.'),
  sort: z.enum(['newest', 'oldest']).default('newest'),
});

const candidate = z.object({ articleId: z.string(), method: z.enum(MATCH_METHODS), confidence: z.number(), title: z.string().optional() });
const articleRef = z.object({
  id: z.string().nullable(),
  title: z.string().nullable().describe("The article's title (null: no article, or one no longer known)."),
  confidence: z.number().nullable(),
  method: z.enum(MATCH_METHODS).nullable(),
  candidates: z.array(candidate).optional().describe('Unmatched letters: the most likely articles found by screening, strongest first.'),
});
const screening = z.object({
  spamScore: z.number().nullable(),
  spamReasons: z.array(z.string()),
  campaign: z.string().nullable().describe('Id of the campaign (near-duplicate cluster) the letter belongs to.'),
  flags: z.array(z.string()),
  flagReasons: z.record(z.string(), z.string()).describe("Screening's explanation of a flag, where it gave one (over_word_limit, recent_writer, not_exclusive, …)."),
  similarTo: z.array(z.object({ letterId: z.string(), similarity: z.number() })),
});

const insight = z
  .object({
    theme: z.string().nullable().describe("Id of the letter's line of argument among its article's themes (GET /api/v1/articles/:id/insights), or null."),
    themeName: z.string().nullable().describe('The theme name an editor filed the letter under, if one did.'),
    themeSource: z.enum(['model', 'editor']),
    stance: z.enum(['agree', 'disagree', 'mixed']).nullable().describe("Stance toward the article's argument: an estimate unless an editor set it."),
    stanceConfidence: z.number().nullable(),
    source: z.enum(['model', 'editor']).describe('Who set the stance.'),
  })
  .nullable()
  .describe('What readers think: the letter\'s theme and stance; null until the letter, matched to an article, has been read.');

export const letterSummary = z.object({
  id: z.string(),
  status: z.enum(STATUSES),
  source: z.enum(['form', 'api', 'email']),
  article: articleRef,
  writer: z.object({ name: z.string(), email: z.string(), town: z.string().nullable() }),
  subject: z.string().nullable(),
  excerpt: z.string(),
  wordCount: z.number(),
  screening,
  insight,
  createdAt: z.string(),
  version: z.number().describe('The letter\'s version: each action adds one. Send it back as `If-Match: "N"` with an action so that a change made from a stale copy is refused (409).'),
  allowedActions: z
    .array(z.enum(EDITOR_ACTIONS))
    .describe("The actions the caller may take on the letter now, from the lifecycle's rules and the caller's role; the usual next step first. Empty for viewers."),
});

export const letterDetail = letterSummary.extend({
  body: z.string().describe("The writer's own text."),
  original: z.string().describe('The text as it arrived (for email: the whole message text).'),
  editedBody: z.string().nullable(),
  headline: z.string().nullable(),
  displayName: z.string().nullable(),
  consent: z.object({ given: z.boolean(), at: z.string().nullable() }).describe('Whether the writer agreed to publication, and when (a letter by email: through the link in its acknowledgement).'),
  exclusive: z.boolean(),
  pow: z.string(),
  assignedTo: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  scheduledAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  writer: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    town: z.string().nullable(),
    phone: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    verifiedHow: z.string().nullable(),
  }),
  history: z.array(z.object({ at: z.string(), actor: z.string(), action: z.string(), data: z.record(z.string(), z.unknown()) })),
  inbound: z
    .looseObject({
      id: z.string(),
      messageId: z.string().nullable().optional(),
      forwardedBy: z.object({ name: z.string(), address: z.string() }).nullable().optional(),
      coveringNote: z.string().nullable().optional(),
      attachments: z.array(z.looseObject({ filename: z.string().nullable().optional(), contentType: z.string().optional(), size: z.number().optional() })).optional(),
    })
    .nullable()
    .describe('Letters by email: the received message (id, Message-ID, authentication, attachments, who forwarded it and their covering note); null for form letters.'),
});

/** A campaign as the queue shows it: one row for its letters on the page, named by its first letter. */
export const pageCampaign = z.object({
  id: z.string(),
  name: z.string().describe("Its first letter's subject, or that letter's first eight words; \"Campaign\" when that letter is gone."),
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
});
export const letterList = z.object({
  items: z.array(letterSummary),
  nextCursor: z.string().nullable(),
  campaigns: z.array(pageCampaign).describe("The campaigns of this page's letters, and the one asked for by `campaign`, with their letters by status (the queue shows a campaign as one row)."),
});
export const accepted = z.object({ id: z.string(), status: z.enum(STATUSES) });

/** The shapes the desk reads (web/src imports these types; one source). */
export type LetterSummary = z.output<typeof letterSummary>;
export type LetterDetail = z.output<typeof letterDetail>;
export type LetterList = z.output<typeof letterList>;
export type PageCampaign = z.output<typeof pageCampaign>;
