// Themes that persist keep their id and their editor-given name when the
// letters are grouped again. New clusters are matched to the previous
// themes by the letters they share (Jaccard over letters both groupings
// saw) and by centroid similarity, greedily, best pair first. Taught themes
// are matched by the editor's name first: that is what the editor sees.

import type { Theme, ThemeSet } from './types.ts';

export interface Draft {
  letterIds: string[];
  /** term -> weight, unit length. */
  centroid: Map<string, number>;
  /** The editor's name when the cluster is a taught theme. */
  taughtName: string | null;
}

export interface Carried {
  id: string;
  name: string | null;
}

// Below these a cluster is a new line of argument, not an old one that moved.
const MIN_JACCARD = 0.2;
const MIN_COSINE = 0.6;

function centroidMap(t: Theme): Map<string, number> {
  const m = new Map<string, number>();
  t.centroid.terms.forEach((k, i) => m.set(k, t.centroid.weights[i]!));
  return m;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let s = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w !== undefined) s += v * w;
  }
  return s;
}

export const nameKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Ids and names for the new clusters, in their order, and the next free
 * theme number. Ids of themes that did not persist are not reused.
 */
export function carryOver(drafts: Draft[], previous: ThemeSet | null | undefined, nextNumber: number): { carried: Carried[]; nextNumber: number } {
  const out: (Carried | null)[] = drafts.map(() => null);
  const prevThemes = previous?.themes ?? [];
  const used = new Set<string>();
  let next = Math.max(nextNumber, previous?.nextThemeNumber ?? 1);

  // 1. Taught themes by name.
  drafts.forEach((d, i) => {
    if (!d.taughtName) return;
    const key = nameKey(d.taughtName);
    const p = prevThemes.find((t) => !used.has(t.id) && t.name !== null && nameKey(t.name) === key);
    if (p) {
      used.add(p.id);
      out[i] = { id: p.id, name: d.taughtName };
    }
  });

  // 2. The rest by shared letters and centroid similarity.
  if (prevThemes.length) {
    const seenBefore = new Set<string>();
    for (const t of prevThemes) for (const id of t.letterIds) seenBefore.add(id);
    for (const id of previous?.unassigned ?? []) seenBefore.add(id);
    const seenNow = new Set<string>();
    for (const d of drafts) for (const id of d.letterIds) seenNow.add(id);
    const prevSets = prevThemes.map((t) => new Set(t.letterIds.filter((id) => seenNow.has(id))));
    const prevCentroids = prevThemes.map(centroidMap);
    const pairs: { i: number; j: number; score: number }[] = [];
    drafts.forEach((d, i) => {
      if (out[i]) return;
      const mine = d.letterIds.filter((id) => seenBefore.has(id));
      prevThemes.forEach((t, j) => {
        if (used.has(t.id)) return;
        // A taught theme keeps its identity by name; an untaught cluster may not take over a named one it does not match well.
        let inter = 0;
        for (const id of mine) if (prevSets[j]!.has(id)) inter++;
        const union = mine.length + prevSets[j]!.size - inter;
        const jac = union ? inter / union : 0;
        const cos = cosine(d.centroid, prevCentroids[j]!);
        if (jac < MIN_JACCARD && cos < MIN_COSINE) return;
        pairs.push({ i, j, score: 0.6 * jac + 0.4 * cos });
      });
    });
    pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
    for (const p of pairs) {
      const t = prevThemes[p.j]!;
      if (out[p.i] || used.has(t.id)) continue;
      // A taught cluster's name wins; otherwise the previous theme's editor-given name carries over.
      out[p.i] = { id: t.id, name: drafts[p.i]!.taughtName ?? t.name };
      used.add(t.id);
    }
  }

  // 3. New themes get new numbers, never reusing one.
  const carried = out.map((c, i) => c ?? { id: `t${next++}`, name: drafts[i]!.taughtName });
  return { carried, nextNumber: next };
}
