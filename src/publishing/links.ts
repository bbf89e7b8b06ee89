// Issuing and checking writers' links. A link is `/letters/{letterId}/{purpose}/{token}`:
// the token must hash to a stored link for that very letter and purpose, not
// spent, not expired. Pages show a button; only the POST acts, so a mail
// scanner that fetches links cannot approve or withdraw anything.
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { findLinkByHash, insertLink, type LinkPurpose, type WriterLink } from '../db/repositories/writer-links.ts';
import { hashLinkToken, newLinkToken } from '../letters/links.ts';

const PATH: Record<LinkPurpose, string> = { approval: 'approval', withdraw: 'withdraw', author_reply: 'reply', consent: 'consent' };
export const WITHDRAW_LINK_DAYS = 365;

export async function issueLink(ctx: AppContext, ex: Trx, letterId: string, purpose: LinkPurpose, days: number, data?: Record<string, unknown>): Promise<string> {
  const { token, hash } = newLinkToken();
  await insertLink(ctx.db, ex, { letterId, purpose, tokenHash: hash, expiresAt: new Date(Date.now() + days * 86400_000), data });
  return `${ctx.config.publicUrl}/letters/${encodeURIComponent(letterId)}/${PATH[purpose]}/${token}`;
}

/** Why a link cannot be used, for the page to say in the reader's language. */
export type LinkProblem = 'invalid' | 'other_letter' | 'used' | 'expired';
export type LinkCheck = { ok: true; link: WriterLink } | { ok: false; status: 403 | 404 | 410; reason: string; code: LinkProblem };

export async function checkLink(ctx: AppContext, letterId: string, purpose: LinkPurpose, token: string, now = new Date()): Promise<LinkCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, status: 404, code: 'invalid', reason: 'This link is not valid. Please copy the whole link from the email.' };
  const link = await findLinkByHash(ctx.db, hashLinkToken(token));
  if (!link || link.purpose !== purpose) return { ok: false, status: 404, code: 'invalid', reason: 'This link is not valid. Please copy the whole link from the email.' };
  if (link.letterId !== letterId) return { ok: false, status: 403, code: 'other_letter', reason: 'This link belongs to another letter.' };
  if (link.usedAt) return { ok: false, status: 410, code: 'used', reason: 'This link has already been used.' };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, status: 410, code: 'expired', reason: 'This link has expired. Please reply to the email instead, and the letters editor will help.' };
  return { ok: true, link };
}
