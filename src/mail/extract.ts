// extractLetter: the letter inside a mail body.
//
// On top of trimReply (quoted replies, "-- " signatures, mobile sign-offs) a letter
// needs three more things:
//  - forwarded letters: someone forwards a reader's letter to the desk with a short
//    note. The letter is the forwarded text and its writer is the forwarded From.
//  - disclaimers: legal boilerplate paragraphs are never part of a letter.
//  - corporate signature blocks after the writer's sign-off (name, title, company,
//    phone), while the sign-off itself ("Name / Town") stays: the desk prints it.

import { classifyLines, delimiterKind, lineFeeds, type LineType } from './lines.ts';
import { headerBlockEnd, trimReply } from './trim.ts';
import type { Extraction, MailAddress } from './types.ts';

const FORWARD_SUBJECT = /^\s*(fwd?|fw|tr|wg|rv|doorst|vs|enc|i|Пересл|転送)\s*[:：]/i;

export type LetterContext = {
  subject?: string;
  fromName?: string;
  /** Own addresses of the desk: a forward of the desk's own mail keeps the note as the letter. */
  ownAddresses?: string[];
};

function parseAddressLine(value: string): MailAddress | null {
  const v = value.replace(/\[mailto:[^\]]*\]/gi, '').replace(/<mailto:[^>]*>/gi, '').trim();
  const angle = /^(.*?)<\s*([^<>\s]+@[^<>\s]+)\s*>/.exec(v);
  if (angle) {
    return { name: angle[1]!.replace(/^["'\s]+|["'\s]+$/g, '').trim(), address: angle[2]!.trim() };
  }
  const bare = /([^\s<>"']+@[^\s<>"']+\.[^\s<>"']+)/.exec(v);
  if (bare) {
    const name = v.replace(bare[1]!, '').replace(/[()"'\[\]]/g, '').trim();
    return { name, address: bare[1]! };
  }
  return null;
}

type ForwardSplit = { note: string; forwarded: string; from: MailAddress | null; recipients: MailAddress[] };

const ADDRESS = /[^\s<>"'();,:\[\]]+@[^\s<>"'();,:\[\]]+\.[a-z]{2,}/gi;

/** Finds a forwarded message (delimiter + header block) and splits it from the note above. */
export function splitForward(text: string, subject = ''): ForwardSplit | null {
  const { lines, types } = classifyLines(text);
  const doc = { lines, types };
  for (let i = 0; i < lines.length; i++) {
    let headerStart = -1;
    if (types[i] === 'd') {
      const kind = delimiterKind(lines[i]!);
      const isForward = kind === 'forward' || (kind === 'original' && FORWARD_SUBJECT.test(subject));
      if (!isForward) continue;
      headerStart = i + 1;
      while (headerStart < lines.length && types[headerStart] === 'e') headerStart++;
    } else if (types[i] === 'h' && FORWARD_SUBJECT.test(subject)) {
      headerStart = i;
    } else {
      continue;
    }
    const end = headerBlockEnd(doc, headerStart);
    if (end < 0) continue;
    let from: MailAddress | null = null;
    const recipients: MailAddress[] = [];
    for (let k = headerStart; k < end; k++) {
      const m = /^\s*[*_]{0,2}\s*(from|von|de|da|från|van|od|от|fra)\s*[*_]{0,2}\s*[:：]\s*[*_]{0,2}(.*)$/i.exec(lines[k]!);
      if (m && !from) {
        from = parseAddressLine(m[2]!);
        continue;
      }
      // "To:" and "Cc:" lines: whom the forwarded letter was sent to.
      const r = /^\s*[*_]{0,2}\s*(to|an|à|a|para|aan|till|til|do|кому|cc|kopie|copie|cópia|copia)\s*[*_]{0,2}\s*[:：]\s*(.*)$/i.exec(lines[k]!);
      if (r) for (const address of r[2]!.replace(/\[mailto:[^\]]*\]|<mailto:[^>]*>/gi, '').match(ADDRESS) || []) recipients.push({ name: '', address });
    }
    return {
      note: lines.slice(0, i).join('\n'),
      forwarded: lines.slice(end).join('\n'),
      from,
      recipients,
    };
  }
  return null;
}

/** Number of words of a text. */
export function wordCount(s: string): number {
  return (s.match(/\p{L}[\p{L}\p{N}'’-]*/gu) || []).length;
}

/**
 * True when a forwarded text is the letter and the text above it only a
 * covering note: the letter has 20 words or more, and the note is short
 * beside it (at most 80 words, or half the letter).
 */
export function isCoveringNote(note: string, letter: string): boolean {
  const n = wordCount(letter);
  return n >= 20 && wordCount(note) <= Math.max(80, n / 2);
}

const DISCLAIMER_CUES = [
  /confidential/i, /privileged/i, /intended (solely |only )?for (the )?(use of the )?(addressee|recipient|named|individual)/i,
  /intended recipient/i, /received (this|the) (e-?mail|message|communication|transmission) in error/i,
  /notify the sender/i, /delete (it|this|the) (message|e-?mail)?/i, /disclaimer/i, /accepts? no (liability|responsibility)/i,
  /(any )?(unauthori[sz]ed|prohibited) (use|review|disclosure|distribution|copying)/i, /exempt from disclosure/i,
  /attorney-client/i, /legal advice/i, /virus(es)?/i, /do not (print|forward) this/i, /vertraulich/i, /confidentiel/i,
  /destinataire/i, /empfänger/i, /riservat[oa]/i, /confidencial/i,
];

// Any cue at all, in one pass: most paragraphs have none, and then need no cue tried alone.
const ANY_DISCLAIMER_CUE = new RegExp(DISCLAIMER_CUES.map((r) => `(?:${r.source})`).join('|'), 'i');

/** True for a paragraph of legal or IT boilerplate (two or more cues, or a heading). */
export function isDisclaimer(paragraph: string): boolean {
  const p = paragraph.trim();
  if (!p) return false;
  if (/^[*_\s]*(confidentiality (notice|note|statement)|disclaimer|legal notice|important notice|avis de confidentialité|haftungsausschluss)\b/i.test(p)) return true;
  if (!ANY_DISCLAIMER_CUE.test(p)) return false;
  let hits = 0;
  for (const r of DISCLAIMER_CUES) if (r.test(p) && ++hits >= 2) return true;
  return false;
}

const CONTACT_CUES = [
  /(\+?\d[\d\s().\/-]{6,}\d)/, // phone numbers
  /\s\|\s/, // "Name | Title | Company"
  /\bwww\.|https?:\/\//i,
  /\b(tel|phone|mobile|mob|cell|fax|direct|office)\b\.?\s*[:.]?\s*\+?\d/i,
  /\b(senior|junior|chief|head of|manager|director|partner|analyst|consultant|officer|president|vice|ceo|cfo|cto|coo|founder|associate|engineer|attorney|counsel|secretary|editor|professor|lecturer)\b/i,
  /\b(inc|llc|llp|ltd|gmbh|plc|corp|corporation|company|consulting|solutions|associates|group|university|foundation)\b\.?/i,
  /\S+@\S+\.\w+/,
];

function contactScore(block: string[]): number {
  let score = 0;
  for (const r of CONTACT_CUES) if (block.some((l) => r.test(l))) score++;
  return score;
}

function looksLikeNameLine(line: string): boolean {
  const s = line.trim().replace(/^[-–—~]+\s*/, '');
  return s.length > 1 && s.length <= 60 && /^\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}?[\p{L}.'’-]+){0,4}$/u.test(s);
}

const PARAGRAPH_BREAK = /\n[ \t]*\n/;

/**
 * Removes trailing contact blocks that follow the writer's sign-off: short lines with
 * contact cues (title, company, phone, web address), starting again with a name.
 * The sign-off paragraph itself (name, town) stays.
 */
export function stripSignatureBlock(text: string, fromName = ''): { text: string; removed: boolean } {
  const paras = text.split(PARAGRAPH_BREAK);
  const { keep, removed } = signatureBlockCut(paras, fromName);
  return { text: paras.slice(0, keep).join('\n\n').trimEnd(), removed };
}

/** How many of the paragraphs stay when trailing contact blocks (and blank paragraphs) go, and whether a block went. */
function signatureBlockCut(paras: string[], fromName: string): { keep: number; removed: boolean } {
  let keep = paras.length;
  let removed = false;
  const name = normaliseName(fromName);
  while (keep > 1) {
    const last = paras[keep - 1]!;
    const block = last.split('\n').filter((l) => l.trim());
    if (block.length === 0) {
      keep--;
      continue;
    }
    if (block.length > 8 || block.some((l) => l.length > 120)) break;
    // A contact block reads as a list, not as sentences (two lower-case letters before the
    // end: a longer run holds two, and is not backtracked over letter by letter).
    const sentences = block.filter((l) => /\p{Ll}{2}[.!?]["'’”)]?\s*$/u.test(l) && wordCount(l) > 6).length;
    if (sentences > 0) break;
    const firstLine = block[0]!.split('|')[0]!.trim();
    const startsWithName = looksLikeNameLine(firstLine) || (name !== '' && normaliseName(firstLine) === name);
    // The text above is read only for a block that starts with a name and has contact cues (few do).
    const signedBefore = () =>
      paras
        .slice(0, keep - 1)
        .join('\n\n')
        .split('\n')
        .slice(-6)
        .some((l) => looksLikeNameLine(l) || (name !== '' && normaliseName(l) === name));
    if (startsWithName && contactScore(block) >= 2 && signedBefore()) {
      keep--;
      removed = true;
      continue;
    }
    break;
  }
  return { keep, removed };
}

function normaliseName(s: string): string {
  let n = s.replace(/["']/g, '').trim();
  const comma = /^([^,]+),\s*([^,]+)$/.exec(n); // "Kowalski, Brenda" → "Brenda Kowalski"
  if (comma) n = `${comma[2]} ${comma[1]}`;
  return n.toLowerCase().replace(/\s+/g, ' ');
}

/** Drops disclaimer paragraphs (and everything after the first one near the end). */
export function stripDisclaimers(text: string): { text: string; removed: boolean } {
  const paras = text.split(PARAGRAPH_BREAK);
  const kept = withoutDisclaimers(paras);
  return { text: (kept ?? paras).join('\n\n'), removed: kept !== null };
}

/** The paragraphs that are no disclaimer, or null when none is one. */
function withoutDisclaimers(paras: string[]): string[] | null {
  const kept = paras.filter((p) => !isDisclaimer(p));
  return kept.length < paras.length ? kept : null;
}

/** Extracts the writer's own text of a letter from the readable body of a message. */
export function extractLetter(text: string, ctx: LetterContext = {}): Extraction {
  const original = lineFeeds(text || '');
  const removed: string[] = [];
  let source = original;
  let forwardedFrom: MailAddress | null = null;
  let forwardNote: string | undefined;
  let forwardedTo: MailAddress[] = [];
  let signName = ctx.fromName || '';

  const fwd = splitForward(original, ctx.subject || '');
  if (fwd) {
    const own = new Set((ctx.ownAddresses || []).map((a) => a.toLowerCase()));
    const fromOwn = fwd.from ? own.has(fwd.from.address.toLowerCase()) : false;
    const note = trimReply(fwd.note);
    const forwarded = trimReply(fwd.forwarded);
    // A short covering note above a longer forwarded text: the letter is the forwarded one.
    if (!fromOwn && isCoveringNote(note, forwarded)) {
      source = fwd.forwarded;
      forwardedFrom = fwd.from;
      if (fwd.from?.name) signName = fwd.from.name;
      const n = note.replace(/[ \t]+$/gm, '').trim();
      if (n) forwardNote = n;
      forwardedTo = fwd.recipients;
      removed.push('forwarding note');
    }
  }

  let body = trimReply(source);
  if (body.length < source.trim().length) removed.push('quoted text or signature');
  // Disclaimers and contact blocks go by paragraphs: the body is split once, and
  // again only when a disclaimer went; it is joined again only when one went.
  let paras = body.split(PARAGRAPH_BREAK);
  const kept = withoutDisclaimers(paras);
  if (kept) {
    body = kept.join('\n\n');
    removed.push('disclaimer');
    paras = body.split(PARAGRAPH_BREAK);
  }
  const cut = signatureBlockCut(paras, signName);
  if (cut.removed) {
    body = paras.slice(0, cut.keep).join('\n\n').trimEnd();
    removed.push('signature block');
  }
  body = body.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
  const out: Extraction = { body, original: original.trim(), forwardedFrom, removed };
  if (forwardedTo.length) out.forwardedTo = forwardedTo;
  if (forwardNote !== undefined) out.note = forwardNote;
  return out;
}

export type { LineType };
