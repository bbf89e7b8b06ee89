// Letters forwarded as attachments: a writer forwards a letter they sent
// earlier (to us, or to another paper) as an attached message — a
// message/rfc822 part, or an .eml file — with a line of their own above it.
// The letter is the attached message's text; its writer, date and subject come
// from the attached message's headers; the line above is the covering note.

import { classify } from './classify.ts';
import { extractLetter, isCoveringNote } from './extract.ts';
import { parseMessage } from './parse.ts';
import type { MailAddress, MailLimits, ParsedAttachment, ParsedMessage } from './types.ts';

export type AttachedLetter = {
  from: MailAddress;
  subject: string;
  date: string | null;
  /** The writer's own text of the attached message. */
  body: string;
  /** The attached message's whole readable text. */
  original: string;
  /** The forwarder's note above the attachment (trimmed; may be empty). */
  note: string;
  /** The attached message's To and Cc: where the letter was first sent. */
  recipients: MailAddress[];
};

function isAttachedMessage(a: ParsedAttachment): boolean {
  return a.contentType === 'message/rfc822' || a.contentType === 'message/global' || /\.eml$/i.test(a.filename || '');
}

/**
 * The letter inside an attached message, or null when there is none, when the
 * attached message is not a letter (a returned bounce, the desk's own mail),
 * or when the message's own text is a letter of its own rather than a note
 * (see isCoveringNote).
 */
export async function attachedLetter(
  raw: Uint8Array,
  msg: ParsedMessage,
  limits: MailLimits,
  opts: { ownAddresses?: string[]; deadline?: number; warnings?: string[] } = {},
): Promise<AttachedLetter | null> {
  const hasMessagePart = msg.partTypes.some((t) => t === 'message/rfc822' || t === 'message/global');
  if (!hasMessagePart && !msg.attachments.some(isAttachedMessage)) return null;
  if (opts.deadline !== undefined && Date.now() > opts.deadline) {
    opts.warnings?.push('time budget spent: attached message not read');
    return null;
  }
  // Inline message/rfc822 parts are merged into the text by default: read the
  // message again with every attached message kept apart from the note.
  const outer = hasMessagePart ? await parseMessage(raw, limits, { attachedMessages: true }) : msg;
  if (!outer.ok) return null;
  const own = new Set((opts.ownAddresses ?? []).map((a) => a.toLowerCase()));
  for (const a of outer.attachments.filter(isAttachedMessage).slice(0, 3)) {
    const inner = await parseMessage(a.content, limits);
    if (!inner.ok || !inner.from?.address) continue;
    if (own.has(inner.from.address.toLowerCase())) continue;
    if (classify(inner).kind !== 'letter') continue;
    const letter = extractLetter(inner.text, { subject: inner.subject, fromName: inner.from.name, ownAddresses: opts.ownAddresses });
    const note = extractLetter(outer.text, { subject: outer.subject, fromName: outer.from?.name, ownAddresses: opts.ownAddresses }).body;
    if (!isCoveringNote(note, letter.body)) continue;
    return { from: inner.from, subject: inner.subject, date: inner.date, body: letter.body, original: letter.original, note, recipients: [...inner.to, ...inner.cc] };
  }
  return null;
}
