// Representative letters of a theme: the most central voices, picked with
// maximal marginal relevance (Carbonell & Goldstein 1998) so that the second
// and third letters say the line in other words instead of repeating the
// first; and, for each, the sentence closest to the theme's centroid.

import { dot, vectorise, type ReadLetter, type SparseVec, type Weighting } from './features.ts';
import type { Representative } from './types.ts';

export interface Candidate {
  letterId: string;
  vec: SparseVec;
  read: ReadLetter;
}

// Relevance vs. novelty: 0.7 keeps the picks on the line while avoiding near-copies.
const LAMBDA = 0.7;
// MMR looks at the most central letters only: cost stays flat on a 10,000-letter theme.
const POOL = 30;
const MAX_SENTENCE_CHARS = 320;

export function representatives(cands: Candidate[], centroid: SparseVec, wt: Weighting, count: number): Representative[] {
  const scored = cands.map((c) => ({ c, rel: dot(c.vec, centroid) }));
  scored.sort((a, b) => b.rel - a.rel || (a.c.letterId < b.c.letterId ? -1 : 1));
  const pool = scored.slice(0, POOL);
  const picked: typeof pool = [];
  while (picked.length < count && pool.length) {
    let best = 0;
    let bestScore = -Infinity;
    pool.forEach((p, i) => {
      const redundancy = picked.length ? Math.max(...picked.map((q) => dot(p.c.vec, q.c.vec))) : 0;
      const s = LAMBDA * p.rel - (1 - LAMBDA) * redundancy;
      if (s > bestScore) (bestScore = s), (best = i);
    });
    picked.push(pool.splice(best, 1)[0]!);
  }
  return picked.map((p) => ({
    letterId: p.c.letterId,
    sentence: bestSentence(p.c.read, centroid, wt),
    centrality: Math.round(Math.max(0, p.rel) * 1000) / 1000,
  }));
}

/** The sentence of the letter that is closest to the theme, preferring ones long enough to state a claim. */
export function bestSentence(read: ReadLetter, centroid: SparseVec, wt: Weighting): string {
  let best = -1;
  let bestScore = -Infinity;
  read.sentences.forEach((s, i) => {
    const keys = read.sentenceKeys[i]!;
    const counts = new Map<string, number>();
    let words = 0;
    for (const k of keys) {
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (!k.includes(' ')) words++;
    }
    // Very short sentences ("Spot on.") rarely state the line; long ones are cut anyway.
    const lengthFactor = Math.min(1, (words + 1) / 5);
    const score = dot(vectorise(counts, wt), centroid) * lengthFactor + (words > 0 ? 1e-6 * words : 0);
    if (score > bestScore) (bestScore = score), (best = i);
  });
  const s = best >= 0 ? read.sentences[best]! : '';
  return s.length > MAX_SENTENCE_CHARS ? `${s.slice(0, MAX_SENTENCE_CHARS - 1).replace(/\s+\S*$/, '')}…` : s;
}
