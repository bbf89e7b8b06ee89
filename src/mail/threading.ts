// Threading helpers. The desk writes its own Message-IDs as
//   <letter.{letterId}.{random}@{domain}>
// so a reply (In-Reply-To / References) names the letter it answers.

import type { ParsedMessage } from './types.ts';

const OWN_ID = /<?\s*letter\.([A-Za-z0-9_-]{1,100})\.([A-Za-z0-9_-]{1,100})@([^<>\s]{1,255}?)\s*>?$/;

/** Splits a header holding one or more message ids into the ids, in order. */
export function messageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const ids = String(value).slice(0, 20_000).match(/<[^<>\s]{1,500}>/g);
  return ids ? ids.slice(0, 200) : [];
}

/** The letter id inside one of the desk's own Message-IDs, else null. */
export function letterIdFromMessageId(id: string, domain?: string): string | null {
  const m = OWN_ID.exec(id.trim());
  if (!m) return null;
  if (domain && m[3]!.toLowerCase() !== domain.toLowerCase()) return null;
  return m[1]!;
}

/**
 * The letter a reply answers: In-Reply-To first, then References from the newest
 * (last) to the oldest. Null when neither names one of the desk's messages.
 */
export function letterIdFromReferences(
  inReplyTo: string | null | undefined,
  references: string | null | undefined,
  domain?: string,
): string | null {
  for (const id of messageIds(inReplyTo)) {
    const letter = letterIdFromMessageId(id, domain);
    if (letter) return letter;
  }
  const refs = messageIds(references);
  for (let i = refs.length - 1; i >= 0; i--) {
    const letter = letterIdFromMessageId(refs[i]!, domain);
    if (letter) return letter;
  }
  return null;
}

export type OwnMailOptions = { ownAddresses?: string[]; ownDomain?: string };

/**
 * True when a message looks like the desk's own outgoing mail coming back (a loop):
 * its Message-ID is one of ours, it carries our X-Letterdesk header, or it is from
 * one of our addresses. The caller must never answer such a message.
 */
export function isOwnMail(msg: ParsedMessage, opts: OwnMailOptions = {}): boolean {
  if (msg.messageId && letterIdFromMessageId(msg.messageId, opts.ownDomain)) return true;
  if (msg.headersOfInterest['x-letterdesk'] !== undefined) return true;
  const from = (msg.from?.address || '').toLowerCase();
  if (!from) return false;
  for (const a of opts.ownAddresses || []) {
    const own = a.toLowerCase().trim();
    if (!own) continue;
    if (own.startsWith('@') ? from.endsWith(own) : from === own) return true;
  }
  return false;
}
