// Shapes of the publishing API: webhooks, exports, authors' replies.
import { z } from 'zod';
import { validEmail } from '../../../letters/text-rules.ts';
import { WEBHOOK_EVENTS } from '../../../publishing/webhooks.ts';

export const webhookBody = z.strictObject({
  url: z
    .string()
    .max(2000)
    .refine((u) => {
      try {
        return ['http:', 'https:'].includes(new URL(u).protocol);
      } catch {
        return false;
      }
    }, 'url must be an http or https URL'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
});

export const publishingIdParams = z.strictObject({ id: z.string().min(1).max(100) });
export const deliveriesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional() });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2024-05-31');
export const exportQuery = z.strictObject({ from: day, to: day, format: z.enum(['markdown', 'html', 'json', 'csv']).default('json') });

export const authorInvitationBody = z.strictObject({ email: z.string().max(254).refine(validEmail, 'a valid email address'), name: z.string().min(1).max(200).optional() });

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb').nullable();
/** What readers see of the publication: language, the reader's own language, its own messages, colours and logo. */
export const readerSettingsPatch = z.strictObject({
  language: z.string().min(2).max(35).optional().describe('The language of public pages and of mail to writers: en, de, fr, es, or one the publication gave messages for.'),
  readerLanguage: z.boolean().optional().describe("Answer each reader in their browser's language (Accept-Language) when there is a catalogue for it."),
  messages: z
    .record(z.string().max(35), z.record(z.string().max(100), z.string().max(5000)))
    .optional()
    .describe('The publication\'s own messages: language → message key → ICU message; they replace the built-in ones, and a new language gets the rest in English.'),
  brand: z
    .strictObject({
      accent: hexColour.optional(),
      background: hexColour.optional(),
      text: hexColour.optional(),
      logoUrl: z.string().max(2000).nullable().optional().describe('An https address or a path on this site.'),
      homeUrl: z.string().max(2000).nullable().optional().describe("The publication's own site, linked from the masthead."),
    })
    .optional(),
});
