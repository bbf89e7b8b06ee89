// Self-hosted proof of work (ALTCHA, v1 protocol): the browser spends a
// fraction of a second finding a number, which costs a bulk sender dearly.
// Each solved challenge is good for one letter and expires. Spending one is a
// write command, committed by the writer thread with the letters around it.
import { createChallenge, verifySolution, extractParams } from 'altcha-lib/v1';
import type { AppContext } from '../context.ts';
import { spendPow } from '../db/repositories/pow.ts';
import { runCommand, writeCommand } from '../writes/commands.ts';

const MAX_NUMBER = 100_000;
const LIFETIME_MS = 30 * 60_000;

/** True when the solution was unspent and is now spent. */
export const spendPowSolution = writeCommand('pow.spend', (ctx, trx, { signature, expiresAt }: { signature: string; expiresAt: Date }) => spendPow(ctx.db, trx, signature, expiresAt));

export async function newChallenge(ctx: AppContext) {
  return createChallenge({ hmacKey: ctx.publication.secret, maxNumber: MAX_NUMBER, expires: new Date(Date.now() + LIFETIME_MS) });
}

export type PowCheck = { ok: true } | { ok: false; reason: string };

export async function checkSolution(ctx: AppContext, payload: string): Promise<PowCheck> {
  let decoded: { signature?: string };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return { ok: false, reason: 'The anti-spam check could not be read; please reload the page and try again.' };
  }
  let valid = false;
  try {
    valid = await verifySolution(payload, ctx.publication.secret, true);
  } catch {
    valid = false;
  }
  if (!valid || !decoded.signature) return { ok: false, reason: 'The anti-spam check failed or expired; please reload the page and try again.' };
  const expires = Number(extractParams(payload).expires ?? 0) * 1000 || Date.now() + LIFETIME_MS;
  if (!(await runCommand(ctx, spendPowSolution, { signature: decoded.signature, expiresAt: new Date(expires) })))
    return { ok: false, reason: 'This anti-spam check was already used; please reload the page to send another letter.' };
  return { ok: true };
}
