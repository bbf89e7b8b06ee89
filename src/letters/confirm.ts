// The writer confirms their address through the link in the acknowledgement:
// the link shows a page (confirmationState), its button confirms
// (confirmAddress). Mail scanners open links, so opening one changes nothing.
import type { AppContext } from '../context.ts';
import { findLetterByConfirmHash } from '../db/repositories/letters.ts';
import { takeAction } from './actions.ts';
import { hashLinkToken } from './links.ts';

export async function confirmAddress(ctx: AppContext, token: string): Promise<'confirmed' | 'already' | 'withdrawn' | 'unknown'> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return 'unknown';
  const letter = await findLetterByConfirmHash(ctx.db, hashLinkToken(token));
  if (!letter) return 'unknown';
  if (letter.status === 'withdrawn') return 'withdrawn';
  if (letter.status !== 'unconfirmed') return 'already';
  const out = await takeAction(ctx, letter.id, { action: 'confirm' }, { kind: 'writer', letterId: letter.id });
  return out.ok ? 'confirmed' : 'already';
}

/** What the page behind a confirmation link shows: the button (pending), or why there is nothing to press. */
export async function confirmationState(ctx: AppContext, token: string): Promise<'pending' | 'already' | 'withdrawn' | 'unknown'> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return 'unknown';
  const letter = await findLetterByConfirmHash(ctx.db, hashLinkToken(token));
  if (!letter) return 'unknown';
  if (letter.status === 'withdrawn') return 'withdrawn';
  return letter.status === 'unconfirmed' ? 'pending' : 'already';
}
