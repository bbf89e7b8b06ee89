// Shapes of the system routes: health and the outbox.
import { z } from 'zod';

export const healthAnswer = z.object({ status: z.literal('ok') });
export const outboxQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional(), letter: z.string().max(100).optional() });
