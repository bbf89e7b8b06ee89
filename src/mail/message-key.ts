// A message's key (its sender and Message-ID) from its header block alone,
// for a door that stores mail before reading it (the SMTP spool): a
// redelivery is then known at the door, as it is when the whole message is
// read first. The header fields are taken as postal-mime takes them (lines
// unfolded, the first From and Message-ID, the From address by its address
// parser, the Message-ID's encoded words decoded), so that the key is the
// one reading the message gives (checked over the fixture corpus,
// test/mail/message-key.test.ts), after the same repairs (bare CR line
// ends, fields that lost their folding). Only the header block is decoded;
// a header over the reader's limits gives no key, as reading it gives none
// (it is quarantined), and the message is then known by its bytes.
import { addressParser, decodeWords } from 'postal-mime';
import { headerLimitBreach } from './header-limits.ts';
import { DEFAULT_LIMITS, repairHeaderFolding, repairLineEndings } from './parse.ts';

/** The key a message is known by, from its sender and Message-ID (the dedupe key's form). */
export function messageKeyOf(sender: string, messageId: string): string {
  return `msg:${sender.trim().toLowerCase()}|${messageId.trim()}`.slice(0, 1000);
}

/** The message's key from its header block, or null when it has no Message-ID (or the header is past the bound). */
export function headerMessageKey(raw: Uint8Array, envelopeSender: string | null): string | null {
  if (headerLimitBreach(raw, DEFAULT_LIMITS)) return null;
  const lines = headerLines(repairHeaderFolding(repairLineEndings(raw)).raw);
  let from: string | null = null;
  let messageId: string | null = null;
  for (const [key, value] of fields(lines)) {
    if (key === 'from' && from === null) from = value;
    else if (key === 'message-id' && messageId === null) messageId = value;
    if (from !== null && messageId !== null) break;
  }
  // NUL removed, as the mail workers remove it from what they read (a database's text cannot hold it).
  const id = messageId ? decodeWords(messageId).replaceAll('\u0000', '').trim() : '';
  if (!id) return null;
  return messageKeyOf((fromAddress(from) || envelopeSender || '').replaceAll('\u0000', ''), id);
}

/**
 * The header block's lines as postal-mime reads them: split at LF, line ends'
 * CRs dropped (a CR inside a line stays), the block ending at the first empty line.
 */
function headerLines(raw: Uint8Array): string[] {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    const lf = bytes.indexOf(0x0a, at);
    const next = lf < 0 ? bytes.length : lf + 1;
    let end = lf < 0 ? bytes.length : lf;
    while (end > at && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x0a)) end--;
    if (end === at) break;
    lines.push(bytes.toString('utf8', at, end));
    at = next;
  }
  return lines;
}

/** Each header field as [lower-case name, unfolded value] (an mbox "From …" line reads as a field of another name, as in postal-mime). */
function* fields(lines: string[]): Generator<[string, string]> {
  let at = 0;
  while (at < lines.length) {
    let line = lines[at++]!;
    // Only SP and HTAB continue a field (RFC 5322 §2.2.3).
    while (at < lines.length && /^[ \t]/.test(lines[at]!)) line += lines[at++]!;
    const sep = line.indexOf(':');
    if (sep < 0) continue;
    yield [trimWsp(line.slice(0, sep)).toLowerCase(), trimWsp(line.slice(sep + 1).replace(/[\r\n]+/g, ' '))];
  }
}

const trimWsp = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '');

/** The From field's first mailbox's address (a group's first member), as postal-mime reads it. */
function fromAddress(value: string | null): string {
  if (!value) return '';
  const first = addressParser(value)[0] as { address?: string; group?: { address?: string }[] } | undefined;
  if (!first) return '';
  if (Array.isArray(first.group)) return first.group[0]?.address ?? '';
  return first.address ?? '';
}
