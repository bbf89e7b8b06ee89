// Theme labels: class-based TF-IDF (Grootendorst 2022) over words and 2–3
// word phrases. Each theme's voices are one "class document"; a key scores
// high when it is frequent in the theme and rare across the article's other
// themes. Like Polis's representativeness, a key must also be shared by
// several of the theme's voices (one eloquent letter is not a line), and be
// more common inside the theme than outside it.

import { isPhrase } from './features.ts';
import { surfaceOf, type SurfaceCounts } from './text.ts';

export interface LabelInput {
  /** For each theme, the key counts of its voices (one entry per voice). */
  themes: Map<string, number>[][];
  surface: SurfaceCounts;
  /** Phrases returned per theme. */
  max?: number;
}

// Phrases read better than single words and say more ("blank cheque" over "blank").
const PHRASE_BOOST = 1.5;

export function distinctivePhrases(input: LabelInput): string[][] {
  const { themes, surface } = input;
  const max = input.max ?? 6;
  const classCounts: Map<string, number>[] = [];
  const classDf: Map<string, number>[] = [];
  const totals: number[] = [];
  const all = new Map<string, number>();
  const allDf = new Map<string, number>();
  let voices = 0;
  for (const voicesOf of themes) {
    const counts = new Map<string, number>();
    const df = new Map<string, number>();
    let total = 0;
    for (const v of voicesOf) {
      for (const [k, c] of v) {
        counts.set(k, (counts.get(k) ?? 0) + c);
        df.set(k, (df.get(k) ?? 0) + 1);
        all.set(k, (all.get(k) ?? 0) + c);
        allDf.set(k, (allDf.get(k) ?? 0) + 1);
        total += c;
      }
    }
    voices += voicesOf.length;
    classCounts.push(counts);
    classDf.push(df);
    totals.push(total);
  }
  const avg = totals.reduce((a, b) => a + b, 0) / Math.max(1, themes.length);
  return themes.map((voicesOf, c) => {
    const n = voicesOf.length;
    const minDf = n >= 3 ? Math.max(2, Math.ceil(n * 0.08)) : 1;
    const scored: [string, number][] = [];
    for (const [k, count] of classCounts[c]!) {
      const df = classDf[c]!.get(k)!;
      if (df < minDf) continue;
      // More common among this theme's voices than among the others'.
      const outN = voices - n;
      if (outN > 0 && (df + 1) / (n + 2) <= (allDf.get(k)! - df + 1) / (outN + 2)) continue;
      const tf = count / Math.max(1, totals[c]!);
      let score = tf * Math.log(1 + avg / all.get(k)!);
      if (isPhrase(k)) score *= PHRASE_BOOST;
      scored.push([k, score]);
    }
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // A word already inside a chosen phrase adds nothing; nor does a phrase overlapping a better one.
    const chosen: string[] = [];
    for (const [k] of scored) {
      const parts = k.split(' ');
      // A phrase takes the place of the single words it contains ("cut" -> "cut the aid").
      const within = chosen.filter((c) => !isPhrase(c) && parts.includes(c));
      const clash = chosen.some((c) => {
        if (within.includes(c)) return false;
        const cp = c.split(' ');
        return parts.some((p) => cp.includes(p));
      });
      if (clash) continue;
      if (within.length) {
        const at = chosen.indexOf(within[0]!);
        for (const w of within) chosen.splice(chosen.indexOf(w), 1);
        chosen.splice(Math.min(at, chosen.length), 0, k);
      } else chosen.push(k);
      if (chosen.length >= max) break;
    }
    return chosen.map((k) => surfaceOf(surface, k));
  });
}

/** A short label from the most distinctive phrases. */
export function labelOf(phrases: string[]): string {
  return phrases.length ? phrases.slice(0, 3).join(' · ') : 'Other letters';
}
