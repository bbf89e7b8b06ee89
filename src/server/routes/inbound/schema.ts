// Shapes of mail in over HTTP and of the received messages' API.
import { z } from 'zod';

const KINDS = ['letter', 'autoreply', 'bounce', 'list', 'spam'] as const;
const STATUSES = ['received', 'letter', 'thread_reply', 'tray', 'quarantined'] as const;

const csv = <T extends string>(allowed: readonly T[], name: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .refine((l) => !l || l.every((x) => (allowed as readonly string[]).includes(x)), `${name} must be one of ${allowed.join(', ')}`);

export const inboundListQuery = z.strictObject({
  kind: csv(KINDS, 'kind'),
  status: csv(STATUSES, 'status'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export const inboundIdParams = z.strictObject({ id: z.string().min(1).max(100) });
export const attachmentParams = z.strictObject({ id: z.string().min(1).max(100), n: z.coerce.number().int().min(0).max(10_000) });

/** What a provider hears when a message is stored. */
export const acceptedShape = z.object({
  id: z.string().describe('The received message.'),
  kind: z.enum(KINDS).nullable().describe('What it is; null when quarantined.'),
  letterId: z.string().nullable().describe('The letter it became (for a reply: the letter it is threaded onto); null for other kinds.'),
  status: z.enum(STATUSES),
  duplicate: z.boolean(),
  reason: z.string(),
});
