// readInbound: the one entry point of the mail layer. Raw bytes in, a plain result
// out: either a classified message with the writer's text, or a quarantine reason.
// Pure apart from reading the clock for the time budget; never throws.

import { bodyPointsToAttachment, letterFromAttachments, summarizeAttachments } from './attachments.ts';
import { classify, isReadableText } from './classify.ts';
import { extractLetter, wordCount } from './extract.ts';
import { readSignOff, signatureSignOff } from './signoff.ts';
import { attachedLetter } from './forwarded.ts';
import { parseMessage, resolveLimits } from './parse.ts';
import { otherRecipients } from './recipients.ts';
import { isOwnMail, letterIdFromReferences } from './threading.ts';
import { lineFeeds } from './lines.ts';
import type { Extraction, InboundOptions, InboundResult, MailAddress } from './types.ts';
import { activeMarkup } from '../util/active-markup.ts';

export type * from './types.ts';
export { parseMessage, DEFAULT_LIMITS, resolveLimits } from './parse.ts';
export { headerLimitBreach } from './header-limits.ts';
export { activeMarkup } from '../util/active-markup.ts';
export { classify, isReadableText } from './classify.ts';
export { otherRecipients, publicationAddresses, type PublicationAddress } from './recipients.ts';
export { attachedLetter } from './forwarded.ts';
export { extractLetter } from './extract.ts';
export { readSignOff, looksLikeName, looksLikeTown, type SignOff } from './signoff.ts';
export { trimReply } from './trim.ts';
export { htmlToText } from './html-to-text.ts';
export { letterIdFromReferences, letterIdFromMessageId, isOwnMail, messageIds } from './threading.ts';
export { attachmentToText, letterFromAttachments, summarizeAttachments, bodyPointsToAttachment } from './attachments.ts';

/** "Kowalski, Brenda" → "Brenda Kowalski": letters are credited first name first. */
export function creditName(name: string): string {
  const n = name.replace(/\s+/g, ' ').trim();
  const m = /^([^,]+),\s*([^,]+)$/.exec(n);
  if (m && !/\b(jr|sr|ii|iii|iv|phd|md|esq)\.?$/i.test(m[2]!)) return `${m[2]!.trim()} ${m[1]!.trim()}`;
  return n;
}

/** Machine mail's reading: its whole text, and no writer's text looked for in it. */
function unextracted(text: string): Extraction {
  return { body: '', original: lineFeeds(text).trim(), forwardedFrom: null, removed: [] };
}

export async function readInbound(raw: Uint8Array, opts: InboundOptions = {}): Promise<InboundResult> {
  const limits = resolveLimits(opts);
  const deadline = Date.now() + limits.timeBudgetMs;
  try {
    const msg = await parseMessage(raw, limits);
    if (!msg.ok) return msg;
    const classified = classify(msg);
    const kind = classified.kind;
    let reason = classified.reason;
    const from = msg.from ?? { name: '', address: '' };
    const ownAddresses = opts.ownAddresses ?? [];
    // Machine mail (bounces, auto-replies, list mail) goes to the tray, where editors read
    // the message's whole text: no letter is looked for in it unless one is asked for
    // (an editor releasing it from the tray, re-processing).
    const ext = kind === 'letter' || opts.extractAlways ? extractLetter(msg.text, { subject: msg.subject, fromName: from.name, ownAddresses }) : unextracted(msg.text);
    const warnings = [...msg.warnings];

    let writer = { name: from.name, email: from.address };
    let body = ext.body;
    let original = ext.original;
    let subject = msg.subject;
    let date = msg.date;
    let fromAttachment: string | undefined;
    let coveringNote: string | undefined;
    let forwardedBy: MailAddress | undefined;
    // Recipients of a forwarded letter's first sending count as recipients too.
    let firstSentTo: MailAddress[] = [];
    if (kind === 'letter') {
      writer = { name: creditName(from.name), email: from.address };
      if (ext.forwardedFrom?.address) {
        writer = { name: creditName(ext.forwardedFrom.name), email: ext.forwardedFrom.address };
        forwardedBy = from;
        if (ext.note) coveringNote = ext.note;
        firstSentTo = ext.forwardedTo ?? [];
      }
      // A letter sent earlier, forwarded as an attached message with a note above it.
      const attached = await attachedLetter(raw, msg, limits, { ownAddresses, deadline, warnings });
      if (attached) {
        writer = { name: creditName(attached.from.name), email: attached.from.address };
        body = attached.body;
        original = attached.original;
        if (attached.subject) subject = attached.subject;
        if (attached.date) date = attached.date;
        coveringNote = attached.note;
        forwardedBy = from;
        firstSentTo = attached.recipients;
      } else if (bodyPointsToAttachment(body) && msg.attachments.length > 0) {
        if (Date.now() < deadline) {
          const att = await letterFromAttachments(msg.attachments, limits, deadline, warnings);
          if (att) {
            const inner = extractLetter(att.text, { fromName: writer.name, ownAddresses });
            // Only when the attachment holds more than the note pointing to it: a short
            // letter in the body with a short file of notes keeps the body.
            if (wordCount(inner.body) >= Math.max(2 * wordCount(body), 1)) {
              body = inner.body;
              fromAttachment = att.filename;
            }
          }
        } else {
          warnings.push('time budget spent: attachment text not read');
        }
      }
    }

    // The sign-off ("Harold Finch / Cambridge") names the writer and their town, and is not part of the letter's text.
    let town: string | undefined;
    if (kind === 'letter') {
      const signed = readSignOff(body, writer.name);
      if (signed) {
        body = signed.body;
        writer = { ...writer, name: creditName(signed.name) };
        if (signed.town) town = signed.town;
      } else if (forwardedBy === undefined && fromAttachment === undefined) {
        // Signed under the "-- " delimiter (already cut with the signature): name and town from there.
        const under = signatureSignOff(msg.text, body, writer.name);
        if (under) {
          writer = { ...writer, name: creditName(under.name) };
          if (under.town) town = under.town;
        }
      }
    }

    if (body.length > limits.maxLetterChars) {
      // Cut at a word boundary; the whole text stays in the raw message.
      const cut = body.slice(0, limits.maxLetterChars);
      const space = cut.search(/\s\S*$/);
      body = (space > limits.maxLetterChars * 0.9 ? cut.slice(0, space) : cut).trimEnd();
      warnings.push(`letter text cut to ${limits.maxLetterChars.toLocaleString('en')} characters`);
    }

    // Text that cannot be read at all is no letter's text: the message has no
    // body, and the reason says why (it is kept in the tray, never answered).
    if (kind === 'letter' && !fromAttachment && !isReadableText(msg.text) && !(coveringNote !== undefined && body)) {
      const has = msg.attachments.length ? `; ${msg.attachments.length} attachment(s) not readable as a letter` : '';
      reason = msg.text.trim() ? `no readable text: the body is not decodable text${has}` : `no readable text: the message has no text${has}`;
      body = '';
    } else if (kind === 'letter' && !body.trim()) {
      reason = 'no text of the writer\'s own (only quoted text, a signature or an unreadable attachment)';
    }

    const result: InboundResult = {
      ok: true,
      kind,
      reason,
      messageId: msg.messageId,
      from,
      writer: town ? { ...writer, town } : writer,
      subject,
      date,
      body,
      original,
      attachments: summarizeAttachments(msg.attachments),
      inReplyToLetterId: letterIdFromReferences(msg.inReplyTo, msg.references, opts.ownDomain),
      inReplyTo: msg.inReplyTo,
      references: msg.references,
      ownMail: isOwnMail(msg, { ownAddresses, ...(opts.ownDomain ? { ownDomain: opts.ownDomain } : {}) }),
      headers: msg.headersOfInterest,
      otherRecipients: otherRecipients([...msg.to, ...firstSentTo], msg.cc, ownAddresses, from.address).filter(
        (r) => r.address.toLowerCase() !== writer.email.toLowerCase(),
      ),
      warnings,
    };
    if (fromAttachment !== undefined) result.fromAttachment = fromAttachment;
    if (coveringNote !== undefined) result.coveringNote = coveringNote;
    if (forwardedBy !== undefined) result.forwardedBy = forwardedBy;
    if (kind === 'letter') {
      // The same rule the form and the API refuse by; mail cannot be refused, so it is a flag.
      const inBody = activeMarkup(body);
      const inName = inBody ? null : activeMarkup(writer.name);
      if (inBody || inName) result.activeMarkup = inBody ? `the letter ${inBody}` : `the writer's name ${inName}`;
    }
    const auth = msg.headersOfInterest['authentication-results'];
    if (auth !== undefined) result.authResultsHeader = auth;
    return result;
  } catch (err) {
    return { ok: false, reason: `mail layer failure: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}` };
  }
}
