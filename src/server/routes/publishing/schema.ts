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
