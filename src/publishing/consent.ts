// Consent for letters by email. The form asks the writer to agree that the
// letter may be published and edited; a letter sent by mail has not said so.
// Its acknowledgement carries a link to a page with a button (the GET shows
// it, only the POST records: mail scanners open links), and the letter can
// be published only once the writer pressed it (letters/actions.ts refuses
// before).
import type { AppContext } from '../context.ts';
import type { Trx } from '../db/executor.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import { takeAction } from '../letters/actions.ts';
import { checkLink, issueLink, type LinkProblem } from './links.ts';

/** Consent links last as long as a letter may wait for an editor. */
export const CONSENT_LINK_DAYS = 365;

/** A consent link for a letter that lacks consent (null when it has it). */
export async function consentLinkFor(ctx: AppContext, trx: Trx, letter: { id: string; consentAt: Date | null }): Promise<string | null> {
  if (letter.consentAt) return null;
  return issueLink(ctx, trx, letter.id, 'consent', CONSENT_LINK_DAYS);
}

export type ConsentOutcome = { ok: true; already: boolean } | { ok: false; status: number; code: LinkProblem | 'closed' };

/** The writer pressed the button: the letter records their consent (an event in its history). */
export async function consentByLink(ctx: AppContext, letterId: string, token: string): Promise<ConsentOutcome> {
  const check = await checkLink(ctx, letterId, 'consent', token);
  if (!check.ok) return { ok: false, status: check.status, code: check.code };
  const letter = await findLetterById(ctx.db, letterId);
  if (letter?.consentAt) return { ok: true, already: true };
  const out = await takeAction(ctx, letterId, { action: 'consent' }, { kind: 'writer', letterId });
  if (!out.ok) return { ok: false, status: out.status, code: 'closed' };
  // The link is not spent: pressing it again says consent is already given.
  return { ok: true, already: false };
}
