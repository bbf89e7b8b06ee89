// Spherical k-means over unit rows (cosine similarity), with k-means++
// starts, a few seeded restarts, optional fixed members (letters an editor
// filed: they pull their theme's centroid and never move), and the
// silhouette to let the data choose k.

import type { Embedding } from './lsa.ts';
import { seededRandom } from '../util/seeded-random.ts';

export interface KMeansResult {
  k: number;
  /** Cluster of each row. */
  assign: Int32Array;
  /** k × dims, unit rows. */
  centroids: Float64Array;
  /** Sum over rows of weight × cosine to own centroid (higher is tighter). */
  score: number;
}

export interface KMeansOptions {
  k: number;
  /** Per-row weight (a row can stand for several letters). Default 1. */
  weights?: Float64Array;
  /** Per-row fixed cluster, or -1 for free rows. Fixed clusters are 0..fixedK-1. */
  fixed?: Int32Array;
  restarts?: number;
  seed?: number;
  maxIter?: number;
}

function rowDot(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) s += x[a + t]! * c[b + t]!;
  return s;
}

function recompute(e: Embedding, assign: Int32Array, k: number, weights: Float64Array | undefined, c: Float64Array): void {
  const d = e.dims;
  c.fill(0);
  for (let i = 0; i < e.n; i++) {
    const w = weights ? weights[i]! : 1;
    const o = assign[i]! * d;
    for (let t = 0; t < d; t++) c[o + t]! += w * e.x[i * d + t]!;
  }
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += c[j * d + t]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < d; t++) c[j * d + t]! *= inv;
  }
}

function once(e: Embedding, o: KMeansOptions, r: () => number): KMeansResult {
  const { n, dims: d, x } = e;
  const k = Math.min(o.k, n);
  const c = new Float64Array(k * d);
  const fixed = o.fixed;
  let fixedK = 0;
  if (fixed) for (let i = 0; i < n; i++) fixedK = Math.max(fixedK, fixed[i]! + 1);
  const assign = new Int32Array(n).fill(-1);
  // Seeds: fixed clusters start at their members' mean; the rest by k-means++.
  if (fixed && fixedK) {
    for (let i = 0; i < n; i++) if (fixed[i]! >= 0) assign[i] = fixed[i]!;
    const tmp = new Int32Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      tmp[i] = assign[i]! >= 0 ? assign[i]! : 0;
      w[i] = assign[i]! >= 0 ? (o.weights ? o.weights[i]! : 1) : 0;
    }
    recompute(e, tmp, fixedK, w, c);
  }
  const best = new Float64Array(n).fill(-Infinity);
  for (let j = 0; j < fixedK; j++) for (let i = 0; i < n; i++) best[i] = Math.max(best[i]!, rowDot(x, i, c, j, d));
  for (let j = fixedK; j < k; j++) {
    let pick = 0;
    if (j === 0) pick = Math.floor(r() * n);
    else {
      let total = 0;
      const dist = new Float64Array(n);
      for (let i = 0; i < n; i++) total += dist[i] = Math.max(0, 1 - best[i]!) ** 2 * (o.weights ? o.weights[i]! : 1);
      let t = r() * total;
      pick = n - 1;
      for (let i = 0; i < n; i++) if ((t -= dist[i]!) <= 0) {
        pick = i;
        break;
      }
    }
    for (let t = 0; t < d; t++) c[j * d + t] = x[pick * d + t]!;
    for (let i = 0; i < n; i++) best[i] = Math.max(best[i]!, rowDot(x, i, c, j, d));
  }
  let score = 0;
  for (let iter = 0; iter < (o.maxIter ?? 50); iter++) {
    let changed = 0;
    score = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bs = -Infinity;
      if (fixed && fixed[i]! >= 0) {
        bj = fixed[i]!;
        bs = rowDot(x, i, c, bj, d);
      } else {
        for (let j = 0; j < k; j++) {
          const s = rowDot(x, i, c, j, d);
          if (s > bs) (bs = s), (bj = j);
        }
      }
      score += bs * (o.weights ? o.weights[i]! : 1);
      if (assign[i] !== bj) (assign[i] = bj), changed++;
    }
    recompute(e, assign, k, o.weights, c);
    if (!changed) break;
  }
  return { k, assign, centroids: c, score };
}

/** Best of several seeded runs (by cohesion). Deterministic for a given seed. */
export function kmeans(e: Embedding, o: KMeansOptions): KMeansResult {
  const r = seededRandom(o.seed ?? 7);
  let best: KMeansResult | null = null;
  for (let t = 0; t < (o.restarts ?? 8); t++) {
    const res = once(e, o, r);
    if (!best || res.score > best.score + 1e-9) best = res;
  }
  return best!;
}

/**
 * Mean silhouette (cosine distance) of a clustering, weighted by row
 * weight. Rows in singleton clusters score 0, as in Rousseeuw (1987).
 */
export function silhouette(e: Embedding, assign: Int32Array, k: number, weights?: Float64Array): number {
  const { n, dims: d, x } = e;
  // Cluster sums make each row's mean distance to a cluster O(k·d), not O(n·d).
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const a = assign[i]!;
    mass[a]! += w;
    for (let t = 0; t < d; t++) sums[a * d + t]! += w * x[i * d + t]!;
  }
  let total = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const own = assign[i]!;
    wsum += w;
    if (mass[own]! - w <= 1e-9) continue;
    let a = 0;
    let b = Infinity;
    for (let j = 0; j < k; j++) {
      if (mass[j]! <= 0) continue;
      let s = rowDot(x, i, sums, j, d);
      let m = mass[j]!;
      if (j === own) {
        s -= w * rowDot(x, i, x, i, d);
        m -= w;
      }
      const dist = 1 - s / m;
      if (j === own) a = dist;
      else if (dist < b) b = dist;
    }
    if (b === Infinity) continue;
    total += (w * (b - a)) / Math.max(a, b, 1e-12);
  }
  return wsum > 0 ? total / wsum : 0;
}
