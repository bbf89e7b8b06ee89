// Shapes of the system routes: health and the outbox.
import { z } from 'zod';

export const healthAnswer = z.object({ status: z.literal('ok') });
export const readyAnswer = z.object({
  ready: z.boolean(),
  checks: z.object({
    database: z.string().describe('"ok", or why the database cannot be used.'),
    migrations: z.string().describe('"ok", or the migrations this letterdesk has that the database lacks.'),
    background: z.string().describe('"ok" when the event processors and jobs finished a round within the last minute.'),
  }),
  message: z.string().optional().describe('When not ready: when to ask again, in words (Retry-After says it in seconds).'),
});
export const outboxQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional(), letter: z.string().max(100).optional() });
export const mailIdParams = z.strictObject({ id: z.string().min(1).max(100) });
