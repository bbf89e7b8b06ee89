// Shapes every part of the API shares: its error answers, and an id in the path.
import { z } from 'zod';

export const errorBody = z.object({ error: z.string(), message: z.string().optional() });
export const validationFailure = z.object({ error: z.literal('validation'), fields: z.record(z.string(), z.string()) });
export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
