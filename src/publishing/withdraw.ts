// The writer withdraws a letter through the link every desk mail carries.
// A published letter comes off the public pages and feeds at once.
import type { AppContext } from '../context.ts';
import { spendLink } from '../db/repositories/writer-links.ts';
import { takeAction } from '../letters/actions.ts';
import { checkLink, type LinkProblem } from './links.ts';

export type WithdrawOutcome = { ok: true } | { ok: false; status: number; reason: string; code?: LinkProblem };

export async function withdrawByLink(ctx: AppContext, letterId: string, token: string, reason?: string): Promise<WithdrawOutcome> {
  const check = await checkLink(ctx, letterId, 'withdraw', token);
  if (!check.ok) return { ok: false, status: check.status, reason: check.reason, code: check.code };
  const out = await takeAction(ctx, letterId, { action: 'withdraw', ...(reason ? { reason } : {}) }, { kind: 'writer', letterId });
  if (!out.ok) return { ok: false, status: out.status, reason: out.status === 409 ? 'This letter can no longer be withdrawn (it was already withdrawn, declined as spam, or removed).' : out.error };
  await ctx.db.writes.run((trx) => spendLink(ctx.db, trx, check.link.id));
  return { ok: true };
}
