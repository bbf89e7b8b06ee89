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

// FNV-1a, as `hash32`, continued over several words joined by spaces
// (equal to hash32(words.join(' ')) without building the string).
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvWord(h: number, w: string): number {
  for (let i = 0; i < w.length; i++) {
    h ^= w.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

function allDigits(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return w.length > 0;
}

const SENTENCE_END = /(?<=[.!?;:])\s+|\s+[\u2014\u2013-]{1,2}\s+/;

/** Appends the paragraph's shingle hashes (with repeats) to `out`. */
function sentenceShingles(paragraph: string, out: number[]): void {
  for (const sentence of paragraph.split(SENTENCE_END)) {
    // Digits are folded so "the 14 bus" and "the 22 bus" agree.
    const w = words(sentence);
    const n = w.length;
    if (n === 0) continue;
    for (let i = 0; i < n; i++) if (allDigits(w[i])) w[i] = '0';
    if (n < SHINGLE_WORDS) {
      if (n > 1) out.push(hash32(w.join(' ')));
      continue;
    }
    for (let i = 0; i + SHINGLE_WORDS <= n; i++) {
      let h = fnvWord(FNV_OFFSET, w[i]);
      h = Math.imul(h ^ 32, FNV_PRIME);
      h = fnvWord(h, w[i + 1]);
      h = Math.imul(h ^ 32, FNV_PRIME);
      h = fnvWord(h, w[i + 2]);
      out.push(h >>> 0);
    }
  }
}

// Reusable open-addressing set for deduplicating a text's shingles without
// allocating a Set per paragraph (stamps clear it in O(1)).
let setBits = 10;
let setKeys = new Uint32Array(1 << setBits);
let setStamps = new Int32Array(1 << setBits);
let setStamp = 0;

/** Writes the distinct values of src[from, to) to out from `at`, in first-seen order; returns how many. */
function distinctInto(src: ArrayLike<number>, from: number, to: number, out: Uint32Array, at: number): number {
  const n = to - from;
  while (n * 2 > 1 << setBits) {
    setBits++;
    setKeys = new Uint32Array(1 << setBits);
    setStamps = new Int32Array(1 << setBits);
    setStamp = 0;
  }
  if (++setStamp === 0x7fffffff) {
    setStamps.fill(0);
    setStamp = 1;
  }
  const stamp = setStamp;
  const keys = setKeys;
  const stamps = setStamps;
  const mask = (1 << setBits) - 1;
  const shift = 32 - setBits;
  let k = at;
  for (let i = from; i < to; i++) {
    const h = src[i];
    let j = Math.imul(h, 0x9e3779b1) >>> shift;
    for (;;) {
      if (stamps[j] !== stamp) {
        stamps[j] = stamp;
        keys[j] = h;
        out[k++] = h;
        break;
      }
      if (keys[j] === h) break;
      j = (j + 1) & mask;
    }
  }
  return k - at;
}

export function shingleText(text: string): ShingledText {
  const buf: number[] = [];
  const texts = splitParagraphs(text);
  const ends: number[] = [];
  for (const p of texts) {
    sentenceShingles(p, buf);
    ends.push(buf.length);
  }
  // One buffer holds every paragraph's distinct shingles, then the letter's.
  const store = new Uint32Array(2 * buf.length);
  const paragraphs: Paragraph[] = [];
  let at = 0;
  let from = 0;
  for (let i = 0; i < texts.length; i++) {
    const k = distinctInto(buf, from, ends[i], store, at);
    paragraphs.push({ text: texts[i], shingles: store.subarray(at, at + k) });
    from = ends[i];
    at += k;
  }
  const k = distinctInto(store, 0, at, store, at);
  return { paragraphs, all: store.subarray(at, at + k) };
}
