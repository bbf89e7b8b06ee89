// The top-level header block, measured before anything parses it. RFC 5322
// §2.1.1 asks senders for lines of at most 998 characters (real mail systems
// go past it, so the line cap is more liberal); a header field may be folded over many
// lines (§2.2.3), so the unfolded field and the whole block get caps of their
// own. A message over any of them is quarantined with the reason and never
// parsed further: parsers and the SPF/DKIM/DMARC check do work that grows
// faster than the header (a Subject folded over 27,000 lines took mailauth
// seconds), and no mail a person writes comes near these sizes.
//
// One pass over the bytes with indexOf; nothing is decoded or copied.

import type { MailLimits } from './types.ts';

export type HeaderLimits = Pick<MailLimits, 'maxHeaderLineChars' | 'maxHeaderFieldBytes' | 'maxHeaderBytes'>;

const LF = 0x0a;
const CR = 0x0d;

/** Length of a field name at `start` ("Subject" in "Subject: …"), or -1 when the line does not start a field. */
function fieldNameLength(raw: Uint8Array, start: number, end: number): number {
  let i = start;
  // printable US-ASCII except ":" (RFC 5322 ftext)
  while (i < end && raw[i]! >= 0x21 && raw[i]! <= 0x7e && raw[i] !== 0x3a) i++;
  if (i === start) return -1;
  let j = i;
  while (j < end && (raw[j] === 0x20 || raw[j] === 0x09)) j++;
  return j < end && raw[j] === 0x3a ? i - start : -1;
}

/** An mbox "From " line at the top, which the parser skips. */
function isMboxFrom(raw: Uint8Array, start: number, end: number): boolean {
  return end - start >= 5 && raw[start] === 0x46 && raw[start + 1] === 0x72 && raw[start + 2] === 0x6f && raw[start + 3] === 0x6d && raw[start + 4] === 0x20;
}

function nameAt(raw: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...raw.subarray(start, start + Math.min(length, 60)));
}

const n = (v: number) => v.toLocaleString('en');

/**
 * Why the header block breaks a limit, or null when it keeps to them. A line
 * that starts neither a field nor with whitespace continues the field above
 * (as the parser's folding repair reads it), so it counts toward that field.
 */
export function headerLimitBreach(raw: Uint8Array, limits: HeaderLimits): string | null {
  // Every limit counts bytes of the message: one no longer than all of them keeps to them (most mail).
  if (raw.length <= Math.min(limits.maxHeaderLineChars, limits.maxHeaderFieldBytes, limits.maxHeaderBytes)) return null;
  let pos = 0;
  let line = 0;
  // The field being read, as where its name is (made a string only for a reason: most messages keep to the limits).
  let fieldAt = -1;
  let fieldLength = 0;
  const fieldName = () => (fieldAt < 0 ? '' : fieldLength > 0 ? nameAt(raw, fieldAt, fieldLength) : 'From_');
  let fieldBytes = 0;
  let fieldLines = 0;
  while (pos < raw.length) {
    const lf = raw.indexOf(LF, pos);
    const next = lf < 0 ? raw.length : lf + 1;
    const end = lf < 0 ? raw.length : lf > pos && raw[lf - 1] === CR ? lf - 1 : lf;
    line++;
    if (end === pos) return null; // the blank line that ends the header block
    const length = end - pos;
    if (length > limits.maxHeaderLineChars) {
      const nameLength = fieldNameLength(raw, pos, end);
      const field = fieldName();
      const what = nameLength > 0 ? `the ${nameAt(raw, pos, nameLength)} header` : field ? `the ${field} header (continued)` : 'the header block';
      return `header line ${n(line)} (${what}) is ${n(length)} characters long; the most this desk reads is ${n(limits.maxHeaderLineChars)} (RFC 5322 asks for 998)`;
    }
    if (next > limits.maxHeaderBytes) {
      return `the header block is larger than ${n(limits.maxHeaderBytes)} bytes${lf < 0 || raw.indexOf(LF, next) < 0 ? '' : ` (${n(line)} lines and more)`}`;
    }
    const nameLength = raw[pos] === 0x20 || raw[pos] === 0x09 ? -1 : fieldNameLength(raw, pos, end);
    if (nameLength > 0 || (line === 1 && isMboxFrom(raw, pos, end))) {
      fieldAt = pos;
      fieldLength = nameLength > 0 ? nameLength : 0;
      fieldBytes = length;
      fieldLines = 1;
    } else {
      fieldBytes += length;
      fieldLines++;
      if (fieldBytes > limits.maxHeaderFieldBytes) {
        return `the ${fieldName() || 'first'} header is folded over ${n(fieldLines)} lines and more than ${n(limits.maxHeaderFieldBytes)} bytes (limit ${n(limits.maxHeaderFieldBytes)})`;
      }
    }
    pos = next;
  }
  return null;
}
