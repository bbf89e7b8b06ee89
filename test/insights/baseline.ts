// The plain baseline the engine is compared with: TF-IDF over the desk's
// retrieval terms (matching/text.ts), L2-normalised, Euclidean k-means
// (Lloyd, k-means++ start, best of 10 seeded runs) with k given: the number
// of labelled themes, an advantage the engine does not get.

import { terms } from '../../src/matching/text.ts';
import { rng } from '../support/random.ts';

export function tfidfKMeans(texts: string[], k: number, seed = 1): number[] {
  const docs = texts.map((t) => {
    const m = new Map<string, number>();
    for (const w of terms(t)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const w of d.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = [...df.keys()].sort();
  const index = new Map(vocab.map((w, i) => [w, i]));
  const n = docs.length;
  const V = vocab.length;
  const x = new Float64Array(n * V);
  docs.forEach((d, i) => {
    let norm = 0;
    for (const [w, c] of d) {
      const v = c * Math.log(n / df.get(w)!);
      x[i * V + index.get(w)!] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < V; j++) x[i * V + j]! /= norm;
  });
  const r = rng(seed);
  let best: { inertia: number; assign: number[] } | null = null;
  for (let run = 0; run < 10; run++) {
    const c = new Float64Array(k * V);
    const d2 = (i: number, j: number) => {
      let s = 0;
      for (let t = 0; t < V; t++) s += (x[i * V + t]! - c[j * V + t]!) ** 2;
      return s;
    };
    // k-means++
    let first = Math.floor(r() * n);
    for (let t = 0; t < V; t++) c[t] = x[first * V + t]!;
    for (let j = 1; j < k; j++) {
      const dist = Array.from({ length: n }, (_, i) => Math.min(...Array.from({ length: j }, (_, q) => d2(i, q))));
      const total = dist.reduce((a, b) => a + b, 0);
      let u = r() * total;
      let pick = n - 1;
      for (let i = 0; i < n; i++) if ((u -= dist[i]!) <= 0) {
        pick = i;
        break;
      }
      first = pick;
      for (let t = 0; t < V; t++) c[j * V + t] = x[pick * V + t]!;
    }
    let assign = new Array<number>(n).fill(0);
    for (let it = 0; it < 100; it++) {
      const next = assign.map((_, i) => {
        let b = 0;
        for (let j = 1; j < k; j++) if (d2(i, j) < d2(i, b)) b = j;
        return b;
      });
      const changed = next.some((a, i) => a !== assign[i]);
      assign = next;
      c.fill(0);
      const size = new Array<number>(k).fill(0);
      assign.forEach((a, i) => {
        size[a]!++;
        for (let t = 0; t < V; t++) c[a * V + t]! += x[i * V + t]!;
      });
      for (let j = 0; j < k; j++) if (size[j]) for (let t = 0; t < V; t++) c[j * V + t]! /= size[j]!;
      if (!changed) break;
    }
    const inertia = assign.reduce((s, a, i) => s + d2(i, a), 0);
    if (!best || inertia < best.inertia) best = { inertia, assign };
  }
  return best!.assign;
}
