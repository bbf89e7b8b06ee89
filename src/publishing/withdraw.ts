// The writer withdraws a letter through the link every desk mail carries
// (the acknowledgement too: intake asks for the link through `intakeLinks`).
// A published letter comes off the public pages and feeds at once.
import type { AppContext } from '../context.ts';
import { spendLink } from '../db/repositories/writer-links.ts';
import { afterIntake, intakeLinks } from '../letters/intake.ts';
import { takeAction } from '../letters/actions.ts';
import { checkLink, issueLink, WITHDRAW_LINK_DAYS } from './links.ts';
import { emitWebhook } from './webhooks.ts';

intakeLinks.withdraw = (ctx, trx, letterId) => issueLink(ctx, trx, letterId, 'withdraw', WITHDRAW_LINK_DAYS);

afterIntake.push(async (ctx, trx, letter) => {
  // Integrators learn that a letter arrived and what it is about; who wrote it stays in the desk.
  await emitWebhook(ctx, trx, 'letter.received', {
    letter: { id: letter.id, article: letter.articleId, source: letter.source, status: letter.status, receivedAt: letter.createdAt.toISOString() },
  });
});

export type WithdrawOutcome = { ok: true } | { ok: false; status: number; reason: string };

export async function withdrawByLink(ctx: AppContext, letterId: string, token: string, reason?: string): Promise<WithdrawOutcome> {
  const check = await checkLink(ctx, letterId, 'withdraw', token);
  if (!check.ok) return { ok: false, status: check.status, reason: check.reason };
  const out = await takeAction(ctx, letterId, { action: 'withdraw', ...(reason ? { reason } : {}) }, { kind: 'writer', letterId });
  if (!out.ok) return { ok: false, status: out.status, reason: out.status === 409 ? 'This letter can no longer be withdrawn (it was already withdrawn, declined as spam, or removed).' : out.error };
  await ctx.db.writes.run((trx) => spendLink(ctx.db, trx, check.link.id));
  return { ok: true };
}
