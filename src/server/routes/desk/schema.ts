// Shapes of the desk's API: sign-in and sessions, the team and settings, the
// queue helpers. Who may call what is in access.ts.
import { z } from 'zod';
import { actionInput } from '../../../letters/actions.ts';
import { statusList } from '../letters/schema.ts';

export const sessionAnswer = z.object({
  user: z.object({ id: z.string(), email: z.string().nullable(), name: z.string(), role: z.string() }),
  csrfToken: z.string().nullable().describe('Send as X-CSRF-Token on every state-changing request made with the session cookie.'),
});
export const signInBody = z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) });
export const linkTokenParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
export const redeemLinkBody = z.strictObject({ email: z.string().max(320).optional(), name: z.string().max(200).optional(), password: z.string().max(1000) });
export const passwordResetBody = z.strictObject({ email: z.string().min(3).max(320) });

export const deskRole = z.enum(['admin', 'editor', 'viewer']);
export const deskIdParams = z.strictObject({ id: z.string().min(1).max(100) });
export const userPatch = z.strictObject({ role: deskRole.optional(), disabled: z.boolean().optional(), unlock: z.literal(true).optional() });
export const invitationBody = z.strictObject({ email: z.email().max(320), role: deskRole });
export const tokenBody = z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(['admin', 'editor', 'viewer', 'inbound']) });

export const policiesPatch = z.strictObject({
  wordLimit: z.number().int().min(20).max(5000).optional(),
  articleAgeDays: z.number().int().min(1).max(3650).optional(),
  oneLetterPerDays: z.number().int().min(0).max(365).optional(),
  requireConfirmation: z.boolean().optional(),
  requireExclusive: z.boolean().optional(),
  requirePhoneVerification: z.boolean().optional(),
  declineTemplate: z.string().max(10_000).optional(),
});
export const settingsPatch = z.strictObject({ name: z.string().trim().min(1).max(200).optional(), lettersAddress: z.email().max(320).optional(), policies: policiesPatch.optional() });

export const bulkBody = z.strictObject({ ids: z.array(z.string().min(1).max(100)).min(1).max(200), input: actionInput });
export const countsQuery = z.strictObject({
  status: statusList.describe('The tab: the lists count letters in these statuses, comma-separated (absent: any).'),
  article: z.string().min(1).max(200).optional().describe('The article the desk has open ("none": letters matched to none): listed whether or not it is among the most.'),
});
export const trayQuery = z.strictObject({
  kind: z.enum(['autoreply', 'bounce', 'list', 'spam']).optional(),
  status: z.enum(['tray', 'quarantined']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export const presenceBody = z.strictObject({ editing: z.boolean().default(false).describe('The editor has the edit panel open.') });
export const presenceAnswer = z.object({
  others: z.array(z.object({ userId: z.string(), name: z.string(), editing: z.boolean(), seenAt: z.string() })),
  version: z.number().describe("The letter's version now: a view holding an older one is out of date."),
});
export type PresenceAnswer = z.output<typeof presenceAnswer>;
