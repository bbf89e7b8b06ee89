// MinHash signatures and an LSH band table in flat typed arrays, so that
// millions of paragraphs fit in a few hundred bytes each and no per-item JS
// objects are created. Signatures keep 16 bits of each minimum ("b-bit
// minwise hashing"): two different minima agree by chance 1 time in 65,536,
// which does not move a Jaccard estimate, and halves the memory.

export interface LshParams {
  bands: number;
  rows: number;
}

/** A growable Int32 array (amortised doubling). */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

export class MinHasher {
  readonly size: number;
  private a: Uint32Array;
  private b: Uint32Array;

  constructor(size: number, seed = 0x5eed) {
    this.size = size;
    this.a = new Uint32Array(size);
    this.b = new Uint32Array(size);
    // xorshift32: fixed seed so signatures are stable across processes and
    // can be stored and compared later.
    let s = seed >>> 0 || 1;
    const next = () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>>= 0);
    };
    for (let i = 0; i < size; i++) {
      this.a[i] = next() | 1; // odd multiplier: a permutation of uint32
      this.b[i] = next();
    }
  }

  /** 16-bit MinHash signature of a set of 32-bit shingle hashes. */
  signature(shingles: Uint32Array, out: Uint16Array = new Uint16Array(this.size)): Uint16Array {
    return truncate(this.minima(shingles), out);
  }

  /** Full 32-bit minima; the minima of a union are the element-wise min of its parts'. */
  minima(shingles: Uint32Array, mins: Uint32Array = new Uint32Array(this.size)): Uint32Array {
    const { a, b, size } = this;
    mins.fill(0xffffffff);
    for (let j = 0; j < shingles.length; j++) {
      // Mix once so that weak input hashes still spread over all 32 bits.
      let x = shingles[j];
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      for (let i = 0; i < size; i++) {
        const v = (Math.imul(a[i], x) + b[i]) >>> 0;
        if (v < mins[i]) mins[i] = v;
      }
    }
    return mins;
  }
}

/** Keeps the low 16 bits of each minimum: the uniformly random ones. */
export function truncate(mins: Uint32Array, out: Uint16Array = new Uint16Array(mins.length)): Uint16Array {
  for (let i = 0; i < mins.length; i++) out[i] = mins[i] & 0xffff;
  return out;
}

/**
 * Signatures of all units plus the LSH table. Bucket chains are stored as
 * linked lists in typed arrays (head per slot, next per entry); entries do
 * not store their key: a candidate is confirmed by comparing its band rows,
 * which the stored signature already holds.
 */
export class LshTable {
  readonly params: LshParams;
  readonly width: number;
  private sigs: Uint16Array;
  // Shingle count per unit (capped at 65535), to turn Jaccard into containment.
  private counts: Uint16Array;
  private units = 0;
  private heads: Int32Array;
  private mask: number;
  private entryUnit = new IntList(1 << 16);
  private entryNext = new IntList(1 << 16);
  // Per-query "already reported" marks, reset by bumping the stamp.
  private seen = new Int32Array(1024);
  private stamp = 0;

  constructor(params: LshParams, initialUnits = 1024) {
    this.params = params;
    this.width = params.bands * params.rows;
    this.sigs = new Uint16Array(this.width * initialUnits);
    this.counts = new Uint16Array(initialUnits);
    this.heads = new Int32Array(1 << 16).fill(-1);
    this.mask = this.heads.length - 1;
  }

  get unitCount(): number {
    return this.units;
  }

  /** Bytes held by signatures and the bucket table. */
  get bytes(): number {
    return this.sigs.byteLength + this.counts.byteLength + this.seen.byteLength + this.heads.byteLength + this.entryUnit.data.byteLength + this.entryNext.data.byteLength;
  }

  signatureOf(unit: number): Uint16Array {
    return this.sigs.subarray(unit * this.width, (unit + 1) * this.width);
  }

  private slot(sig: Uint16Array, offset: number, band: number): number {
    const { rows } = this.params;
    let h = Math.imul(band + 1, 0x9e3779b1);
    for (let r = 0; r < rows; r++) {
      h ^= sig[offset + band * rows + r];
      h = Math.imul(h, 0x01000193);
      h ^= h >>> 15;
    }
    return h & this.mask;
  }

  shingleCount(unit: number): number {
    return this.counts[unit];
  }

  /** Stores a signature and files it under each band; returns the unit number. */
  insert(sig: Uint16Array, shingles: number): number {
    const unit = this.units++;
    if (this.units * this.width > this.sigs.length) {
      const next = new Uint16Array(this.sigs.length * 2);
      next.set(this.sigs);
      this.sigs = next;
      const counts = new Uint16Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.sigs.set(sig, unit * this.width);
    this.counts[unit] = Math.min(shingles, 0xffff);
    if (this.entryUnit.length + this.params.bands > this.heads.length * 2) this.grow();
    this.file(unit);
    return unit;
  }

  private file(unit: number): void {
    const off = unit * this.width;
    for (let band = 0; band < this.params.bands; band++) {
      const s = this.slot(this.sigs, off, band);
      this.entryUnit.push(unit);
      const e = this.entryNext.push(this.heads[s]);
      this.heads[s] = e;
    }
  }

  // Keeps chains short: doubles the slot table and refiles every unit
  // (slots are recomputed from the stored signatures).
  private grow(): void {
    this.heads = new Int32Array(this.heads.length * 2).fill(-1);
    this.mask = this.heads.length - 1;
    this.entryUnit.length = 0;
    this.entryNext.length = 0;
    for (let u = 0; u < this.units - 1; u++) this.file(u);
  }

  /**
   * Units sharing at least one band with `sig`, each reported once through
   * `visit`. At most `maxScan` entries are read per band: when a bucket is
   * huge its members are copies of one paragraph, and the most recent ones
   * are enough to find the cluster.
   */
  candidates(sig: Uint16Array, maxScan: number, visit: (unit: number) => void): void {
    const { bands, rows } = this.params;
    if (this.seen.length < this.units) {
      const next = new Int32Array(Math.max(this.units, this.seen.length * 2));
      next.set(this.seen);
      this.seen = next;
    }
    const seen = this.seen;
    const stamp = ++this.stamp;
    const sigs = this.sigs;
    const w = this.width;
    for (let band = 0; band < bands; band++) {
      const s = this.slot(sig, 0, band);
      let e = this.heads[s];
      for (let n = 0; e >= 0 && n < maxScan; n++, e = this.entryNext.data[e]) {
        const u = this.entryUnit.data[e];
        if (seen[u] === stamp) continue;
        const off = u * w + band * rows;
        let same = true;
        for (let r = 0; r < rows; r++) {
          if (sigs[off + r] !== sig[band * rows + r]) {
            same = false;
            break;
          }
        }
        if (!same) continue;
        seen[u] = stamp;
        visit(u);
      }
    }
  }

  /** Estimated Jaccard similarity: the share of equal signature positions. */
  similarity(unit: number, sig: Uint16Array): number {
    const off = unit * this.width;
    let eq = 0;
    for (let i = 0; i < this.width; i++) if (this.sigs[off + i] === sig[i]) eq++;
    return eq / this.width;
  }
}
