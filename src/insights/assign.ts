// A new letter to the nearest existing theme, between two groupings. Cheap
// by design (one pass over the letter's words and a sparse dot product per
// theme): the ThemeSet carries the IDF of its centroid terms, so no other
// letter is looked at, however many the article has.

import { readOf, vectorise, type SparseVec, type Weighting } from './features.ts';
import type { Assignment, LetterText, ThemeSet } from './types.ts';

interface Prepared {
  wt: Weighting;
  centroids: SparseVec[];
  taught: Map<string, string>;
}

// Built once per ThemeSet object (the caller typically reuses one between regroupings).
const cache = new WeakMap<ThemeSet, Prepared>();

function prepare(set: ThemeSet): Prepared {
  let p = cache.get(set);
  if (p) return p;
  const terms = new Map<string, [number, number]>();
  let id = 0;
  for (const [k, v] of Object.entries(set.model?.idf ?? {})) terms.set(k, [id++, v]);
  const wt: Weighting = { terms, unseenIdf: set.model?.unseenIdf ?? 1, phraseWeight: set.model?.phraseWeight ?? 0.6 };
  const centroids = set.themes.map((t) => {
    const pairs = t.centroid.terms.map((k, i) => [terms.get(k)?.[0] ?? -1, t.centroid.weights[i]!] as const).filter((x) => x[0] >= 0);
    pairs.sort((a, b) => a[0] - b[0]);
    return { ids: Int32Array.from(pairs, (x) => x[0]), w: Float32Array.from(pairs, (x) => x[1]) };
  });
  const taught = new Map<string, string>();
  for (const t of set.themes) for (const l of t.taughtLetterIds) taught.set(l, t.id);
  p = { wt, centroids, taught };
  cache.set(set, p);
  return p;
}

/**
 * The theme a newly arrived letter belongs to, or null when it shares
 * nothing with any theme (or the article is not grouped yet). A letter an
 * editor filed stays where it was filed.
 */
export function assignToTheme(set: ThemeSet, letter: LetterText): Assignment {
  if (!set || !Array.isArray(set.themes) || !set.themes.length) return { themeId: null, score: 0, source: 'none' };
  const p = prepare(set);
  const filed = p.taught.get(letter?.id);
  if (filed) return { themeId: filed, score: 1, source: 'taught' };
  const v = vectorise(readOf(letter).counts, p.wt);
  let best = -1;
  let score = 0;
  p.centroids.forEach((c, j) => {
    let s = 0;
    let a = 0;
    let b = 0;
    while (a < v.ids.length && b < c.ids.length) {
      const x = v.ids[a]!;
      const y = c.ids[b]!;
      if (x === y) s += v.w[a++]! * c.w[b++]!;
      else if (x < y) a++;
      else b++;
    }
    if (s > score) (score = s), (best = j);
  });
  if (best < 0 || score < (set.model?.minScore ?? 0.02)) return { themeId: null, score: Math.round(score * 1000) / 1000, source: 'none' };
  return { themeId: set.themes[best]!.id, score: Math.round(score * 1000) / 1000, source: 'model' };
}
