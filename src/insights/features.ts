// Letters to weighted term vectors. Each letter is read once into its
// sentences and term counts (`readLetter`); a `Weighting` built over the
// article's voices turns counts into TF-IDF vectors. Vectors are sparse,
// sorted by term id, L2-normalised, so a cosine is a merge of two arrays.

import { languageOf, letterProse, newLanguageHits, sentenceTerms, sentences, type SurfaceCounts } from './text.ts';

export interface SparseVec {
  ids: Int32Array;
  w: Float32Array;
}

export const EMPTY_VEC: SparseVec = { ids: new Int32Array(0), w: new Float32Array(0) };

/** A letter read once: its sentences and, per sentence, its term and phrase keys. */
export interface ReadLetter {
  sentences: string[];
  /** For each sentence, its term keys then its phrase keys. */
  sentenceKeys: string[][];
  /** Term/phrase key -> count over the letter. */
  counts: Map<string, number>;
  /** Number of content words (terms), for length-aware decisions. */
  length: number;
  /** Language by function words ('en', 'de', …), or 'und' when too short to tell. */
  lang: string;
}

// Long letters are cut for the theme vector: the argument is made in the
// first few hundred words, and a 5,000-word letter must cost like a long one.
const MAX_SENTENCES = 60;

export function readLetter(body: string, surface?: SurfaceCounts): ReadLetter {
  const prose = letterProse(body);
  const all = sentences(prose);
  const sents = all.length > MAX_SENTENCES ? all.slice(0, MAX_SENTENCES) : all;
  const counts = new Map<string, number>();
  const sentenceKeys: string[][] = [];
  let length = 0;
  const hits = newLanguageHits();
  for (const s of sents) {
    const { terms, phrases } = sentenceTerms(s, surface, hits);
    length += terms.length;
    const keys = [...terms, ...phrases];
    sentenceKeys.push(keys);
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { sentences: sents, sentenceKeys, counts, length, lang: languageOf(hits) };
}

// The last reading of each letter object: assigning a letter and estimating
// its stance read it once between them.
const readCache = new WeakMap<object, { body: string; read: ReadLetter }>();

/** `readLetter` of a letter object, remembered while the object lives and its body is unchanged. */
export function readOf(letter: { body?: unknown } | null | undefined): ReadLetter {
  const body = typeof letter?.body === 'string' ? letter.body : '';
  if (!letter || typeof letter !== 'object') return readLetter(body);
  const hit = readCache.get(letter);
  if (hit && hit.body === body) return hit.read;
  const read = readLetter(body);
  readCache.set(letter, { body, read });
  return read;
}

export function isPhrase(key: string): boolean {
  return key.includes(' ');
}

/** Plain-data weighting: vocabulary with IDF, learnt over an article's voices. */
export interface Weighting {
  /** key -> [id, idf] */
  terms: Map<string, [number, number]>;
  /** IDF given to a key never seen (for vector norms of new letters). */
  unseenIdf: number;
  /** Weight of a phrase relative to a single term. */
  phraseWeight: number;
}

export interface WeightingOptions {
  /** Drop keys seen in fewer voices than this (hapaxes only add noise between short texts). */
  minDf?: number;
  phraseWeight?: number;
}

/**
 * IDF over the voices (a campaign is one document: it is one voice however
 * many copies arrive). `docs` are the voices' distinct keys.
 */
export function buildWeighting(docs: Iterable<Iterable<string>>, opts: WeightingOptions = {}): Weighting {
  const df = new Map<string, number>();
  let n = 0;
  for (const d of docs) {
    n++;
    for (const k of d) df.set(k, (df.get(k) ?? 0) + 1);
  }
  const minDf = opts.minDf ?? (n >= 12 ? 2 : 1);
  const terms = new Map<string, [number, number]>();
  let id = 0;
  // Keys sorted so ids do not depend on letter order.
  for (const k of [...df.keys()].sort()) {
    const f = df.get(k)!;
    if (f < minDf) continue;
    terms.set(k, [id++, Math.log((1 + n) / (1 + f)) + 1]);
  }
  return { terms, unseenIdf: Math.log(1 + n) + 1, phraseWeight: opts.phraseWeight ?? 0.6 };
}

/** TF-IDF vector (sublinear tf), L2-normalised over the letter's known and unseen keys. */
export function vectorise(counts: Map<string, number>, wt: Weighting): SparseVec {
  const pairs: [number, number][] = [];
  let norm = 0;
  for (const [k, c] of counts) {
    const t = wt.terms.get(k);
    let v = (1 + Math.log(c)) * (t ? t[1] : wt.unseenIdf);
    if (isPhrase(k)) v *= wt.phraseWeight;
    norm += v * v;
    if (t) pairs.push([t[0], v]);
  }
  if (!pairs.length || norm === 0) return EMPTY_VEC;
  pairs.sort((a, b) => a[0] - b[0]);
  const inv = 1 / Math.sqrt(norm);
  const ids = new Int32Array(pairs.length);
  const w = new Float32Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    ids[i] = pairs[i]![0];
    w[i] = pairs[i]![1] * inv;
  }
  return { ids, w };
}

export function dot(a: SparseVec, b: SparseVec): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) s += a.w[i++]! * b.w[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** Mean of vectors, L2-normalised (a spherical centroid). */
export function meanVec(vs: SparseVec[], weights?: number[]): SparseVec {
  const acc = new Map<number, number>();
  vs.forEach((v, i) => {
    const f = weights ? weights[i]! : 1;
    for (let j = 0; j < v.ids.length; j++) acc.set(v.ids[j]!, (acc.get(v.ids[j]!) ?? 0) + v.w[j]! * f);
  });
  return fromMap(acc);
}

export function fromMap(acc: Map<number, number>, keep = Infinity): SparseVec {
  let entries = [...acc].filter((e) => e[1] !== 0);
  if (entries.length > keep) entries = entries.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, keep);
  entries.sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const e of entries) norm += e[1] * e[1];
  if (norm === 0) return EMPTY_VEC;
  const inv = 1 / Math.sqrt(norm);
  return { ids: Int32Array.from(entries, (e) => e[0]), w: Float32Array.from(entries, (e) => e[1] * inv) };
}
