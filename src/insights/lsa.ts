// Latent semantic analysis: sparse TF-IDF rows to a few dense dimensions.
// Two letters on the same line of argument often share few exact words
// ("cut the aid" / "stop the blank cheque"), but the words they use occur
// together across the article's other letters; a truncated SVD of the
// letter-term matrix puts such letters close. Randomised range finding with
// two power iterations (Halko, Martinsson & Tropp 2011) costs a few passes
// over the non-zeros, so 10,000 letters take milliseconds, not seconds.

import type { SparseVec } from './features.ts';
import { seededRandom } from '../util/seeded-random.ts';

/** Orthonormalises the columns of an n×l row-major matrix in place (modified Gram-Schmidt). */
function orthonormalise(m: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += m[i * l + j]! * m[i * l + p]!;
      for (let i = 0; i < n; i++) m[i * l + j]! -= d * m[i * l + p]!;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += m[i * l + j]! ** 2;
    const inv = s > 1e-20 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < n; i++) m[i * l + j]! *= inv;
  }
}

/** Y (n×l) = A X, with A's rows sparse over `dims` columns and X dims×l. */
function timesA(rows: SparseVec[], x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(rows.length * l);
  rows.forEach((r, i) => {
    const o = i * l;
    for (let k = 0; k < r.ids.length; k++) {
      const c = r.ids[k]! * l;
      const v = r.w[k]!;
      for (let j = 0; j < l; j++) y[o + j]! += v * x[c + j]!;
    }
  });
  return y;
}

/** Z (dims×l) = Aᵀ Y. */
function timesAt(rows: SparseVec[], y: Float64Array, dims: number, l: number): Float64Array {
  const z = new Float64Array(dims * l);
  rows.forEach((r, i) => {
    const o = i * l;
    for (let k = 0; k < r.ids.length; k++) {
      const c = r.ids[k]! * l;
      const v = r.w[k]!;
      for (let j = 0; j < l; j++) z[c + j]! += v * y[o + j]!;
    }
  });
  return z;
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi); returns values and column vectors. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += m[p * n + p]! ** 2;
      for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    }
    if (off <= 1e-20 * diag || off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!;
          const aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}

export interface Embedding {
  /** n × dims, row-major, rows L2-normalised (zero rows stay zero). */
  x: Float64Array;
  n: number;
  dims: number;
}

/**
 * Rank-`dims` LSA coordinates (U·Σ) of the rows, each row normalised so
 * that a dot product is a cosine. `columns` is the number of term ids.
 */
export function lsa(rows: SparseVec[], columns: number, dims: number, seed = 1): Embedding {
  const n = rows.length;
  const d = Math.max(1, Math.min(dims, n - 1, columns));
  // Generous oversampling: with an article's few hundred voices the subspace
  // is then (nearly) exact, so the themes do not depend on the random draw
  // (measured: taught-theme accuracy varied 0.30-0.50 across seeds with 8
  // extra columns, 0.48-0.52 with 30).
  const l = Math.min(d + 30, n, columns);
  const r = seededRandom(seed);
  const omega = new Float64Array(columns * l);
  // Uniform ±1 test vectors serve a range finder as well as Gaussian ones, at a fraction of the cost.
  for (let i = 0; i < omega.length; i++) omega[i] = r() < 0.5 ? -1 : 1;
  let y = timesA(rows, omega, l);
  orthonormalise(y, n, l);
  for (let it = 0; it < 2; it++) {
    // Only the n-side is re-orthonormalised: two power steps in doubles stay well
    // conditioned, and the term side (thousands of rows) is the costly one.
    const z = timesAt(rows, y, columns, l);
    y = timesA(rows, z, l);
    orthonormalise(y, n, l);
  }
  // B Bᵀ = Qᵀ A Aᵀ Q (l × l), computed on the letters' side: A (Aᵀ Q) then Qᵀ
  // times that costs n·l² instead of columns·l² (letters are fewer than terms).
  const w = timesA(rows, timesAt(rows, y, columns, l), l);
  const bbt = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const ya = y[o + a]!;
      if (ya === 0) continue;
      for (let b = a; b < l; b++) bbt[a * l + b]! += ya * w[o + b]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, d);
  // U Σ = Q Û Σ, with Σ = sqrt(eigenvalues of B Bᵀ).
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let k = 0; k < d; k++) {
      const e = order[k]!;
      const sigma = Math.sqrt(Math.max(0, values[e]!));
      let s = 0;
      for (let j = 0; j < l; j++) s += y[i * l + j]! * vectors[j * l + e]!;
      x[i * d + k] = s * sigma;
      norm += (s * sigma) ** 2;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < d; k++) x[i * d + k]! *= inv;
    }
  }
  return { x, n, dims: d };
}
