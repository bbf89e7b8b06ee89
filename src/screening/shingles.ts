// Text to shingles for near-duplicate detection. A letter is cut into
// paragraphs and sentences; shingles are word 3-grams that never cross a
// sentence end, so reordering sentences or paragraphs leaves the shingle set
// unchanged, and reflowing the text (line breaks, merged paragraphs) does too.

import { hash32, words } from '../matching/text.ts';

export interface Paragraph {
  text: string;
  shingles: Uint32Array;
}

export interface ShingledText {
  paragraphs: Paragraph[];
  /** All shingles of the letter, deduplicated. */
  all: Uint32Array;
}

const SHINGLE_WORDS = 3;

export function splitParagraphs(text: string): string[] {
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (!t) return [];
  let parts = t.split(/\n[ \t]*\n+/);
  // Some mailers send one line per paragraph with no blank line between them.
  if (parts.length === 1 && t.split('\n').some((l) => l.length > 100)) parts = t.split('\n');
  return parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

function sentenceShingles(paragraph: string, into: Set<number>): void {
  for (const sentence of paragraph.split(/(?<=[.!?;:])\s+|\s+[\u2014\u2013-]{1,2}\s+/)) {
    // Digits are folded so "the 14 bus" and "the 22 bus" agree.
    const w = words(sentence).map((x) => (/^\d+$/.test(x) ? '0' : x));
    if (w.length === 0) continue;
    if (w.length < SHINGLE_WORDS) {
      if (w.length > 1) into.add(hash32(w.join(' ')));
      continue;
    }
    for (let i = 0; i + SHINGLE_WORDS <= w.length; i++) {
      into.add(hash32(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2]));
    }
  }
}

export function shingleText(text: string): ShingledText {
  const all = new Set<number>();
  const paragraphs: Paragraph[] = [];
  for (const p of splitParagraphs(text)) {
    const set = new Set<number>();
    sentenceShingles(p, set);
    for (const h of set) all.add(h);
    paragraphs.push({ text: p, shingles: Uint32Array.from(set) });
  }
  return { paragraphs, all: Uint32Array.from(all) };
}
