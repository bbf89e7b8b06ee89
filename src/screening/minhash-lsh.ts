// MinHash signatures and an LSH band table in flat typed arrays, so that
// millions of paragraphs fit in a few hundred bytes each and no per-item JS
// objects are created. Signatures keep 16 bits of each minimum ("b-bit
// minwise hashing"): two different minima agree by chance 1 time in 65,536,
// which does not move a Jaccard estimate, and halves the memory.

export interface LshParams {
  bands: number;
  rows: number;
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

// Units are stored in fixed-size chunks: growing never copies what is
// already stored, and no more than one chunk is ever unused.
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
/** Entries per slot before the slot table doubles: short chains, and slots at 2 bytes per entry. */
const LOAD = 4;

/**
 * Signatures of all units plus the LSH table. Every (unit, band) pair is an
 * entry with the implicit number `unit * bands + band`; a bucket chain is a
 * head per hash slot plus a `next` per entry. Nothing is stored per entry
 * but the link: 4 bytes, plus the slots (about 2: four entries per
 * slot). At a million letters (about five million units) entries are most
 * of the memory, so the default is few bands of few rows (campaigns.ts).
 */
export class LshTable {
  readonly params: LshParams;
  /** Signature length stored per unit (its first bands x rows values are banded). */
  readonly width: number;
  private sigChunks: Uint16Array[] = [];
  // Shingle count per unit (capped at 65535), to turn Jaccard into containment.
  private countChunks: Uint16Array[] = [];
  private nextChunks: Int32Array[] = [];
  private units = 0;
  // Two int32 per slot: the newest entry of its chain (-1: none), then a
  // 32-bit filter of the band values filed there (one bit each, picked by
  // five more bits of the band's hash). Nearly every lookup is for a band
  // value no earlier unit had; the filter, in the same cache line as the
  // head, answers most of them without walking the chain, whose every step
  // is a cache miss (profiled: 64% of reading a million records back).
  // The filter has no false negatives, so the walks taken are the same.
  private heads: Int32Array;
  private mask: number;
  private slotBits: number;
  // Units already reported by the lookup under way: a small hash set whose
  // entries count while their stamp is the lookup's (a lookup reports at most
  // bands x maxScan units). A mark per unit cost 4 bytes a unit, with up to
  // as much again of slack from doubling: 34 MB at a million letters.
  private reportedUnit = new Int32Array(256);
  private reportedStamp = new Int32Array(256);
  private reportedShift = 32 - 8;
  private reportedCount = 0;
  private stamp = 0;
  // Slot of each band of the signature being looked up or filed.
  private bandSlot: Int32Array;
  // ... and its filter bit.
  private bandBit: Int32Array;

  constructor(params: LshParams, initialSlots = 1 << 16, width = params.bands * params.rows) {
    if (width < params.bands * params.rows) throw new Error(`signatures of ${width} values cannot fill ${params.bands} bands of ${params.rows} rows`);
    this.params = params;
    this.width = width;
    this.heads = emptySlots(initialSlots);
    this.mask = initialSlots - 1;
    this.slotBits = 31 - Math.clz32(initialSlots);
    this.bandSlot = new Int32Array(params.bands);
    this.bandBit = new Int32Array(params.bands);
  }

  get unitCount(): number {
    return this.units;
  }

  /** Bytes held by signatures and the bucket table. */
  get bytes(): number {
    let n = this.reportedUnit.byteLength * 2 + this.heads.byteLength + this.bandSlot.byteLength;
    for (const list of [this.sigChunks, this.countChunks, this.nextChunks]) for (const c of list) n += c.byteLength;
    return n;
  }

  signatureOf(unit: number): Uint16Array {
    const off = (unit & CHUNK_MASK) * this.width;
    return this.sigChunks[unit >>> CHUNK_BITS].subarray(off, off + this.width);
  }

  /** Slots of every band of `sig` (from `offset`) into bandSlot, filter bits into bandBit. */
  private hashBands(sig: Uint16Array, offset: number): void {
    const { rows, bands } = this.params;
    for (let band = 0; band < bands; band++) {
      let h = Math.imul(band + 1, 0x9e3779b1);
      for (let r = 0; r < rows; r++) {
        h ^= sig[offset + band * rows + r];
        h = Math.imul(h, 0x01000193);
        h ^= h >>> 15;
      }
      this.bandSlot[band] = h & this.mask;
      this.bandBit[band] = 1 << ((h >>> this.slotBits) & 31);
    }
  }

  shingleCount(unit: number): number {
    return this.countChunks[unit >>> CHUNK_BITS][unit & CHUNK_MASK];
  }

  /** Stores a signature and files it under each band; returns the unit number. */
  insert(sig: Uint16Array, shingles: number): number {
    const unit = this.units++;
    const c = unit >>> CHUNK_BITS;
    if (c === this.sigChunks.length) {
      this.sigChunks.push(new Uint16Array(CHUNK * this.width));
      this.countChunks.push(new Uint16Array(CHUNK));
      this.nextChunks.push(new Int32Array(CHUNK * this.params.bands));
    }
    this.sigChunks[c].set(sig.subarray(0, this.width), (unit & CHUNK_MASK) * this.width);
    this.countChunks[c][unit & CHUNK_MASK] = Math.min(shingles, 0xffff);
    if (this.units * this.params.bands > (this.heads.length >>> 1) * LOAD) this.grow();
    else this.file(unit);
    return unit;
  }

  private file(unit: number): void {
    const { bands } = this.params;
    const c = unit >>> CHUNK_BITS;
    const i = unit & CHUNK_MASK;
    this.hashBands(this.sigChunks[c], i * this.width);
    const next = this.nextChunks[c];
    for (let band = 0; band < bands; band++) {
      const s = 2 * this.bandSlot[band];
      next[i * bands + band] = this.heads[s];
      this.heads[s] = unit * bands + band;
      this.heads[s + 1] |= this.bandBit[band];
    }
  }

  // Keeps chains short: doubles the slot table and refiles every unit in
  // arrival order, so each chain stays newest first (slots are recomputed
  // from the stored signatures).
  private grow(): void {
    let size = this.heads.length; // twice the slots
    while (this.units * this.params.bands > size * LOAD) size *= 2;
    this.heads = emptySlots(size);
    this.mask = size - 1;
    this.slotBits = 31 - Math.clz32(size);
    for (let u = 0; u < this.units; u++) this.file(u);
  }

  /**
   * Units sharing at least one band with `sig`, each reported once through
   * `visit`. At most `maxScan` entries with the band's value are read per
   * band: when a bucket is huge its members are copies of one paragraph,
   * and the most recent ones are enough to find the cluster.
   */
  candidates(sig: Uint16Array, maxScan: number, visit: (unit: number) => void): void {
    const { bands, rows } = this.params;
    if (this.stamp === 0x7fffffff) {
      this.reportedStamp.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    this.reportedCount = 0;
    const w = this.width;
    this.hashBands(sig, 0);
    for (let band = 0; band < bands; band++) {
      const s = 2 * this.bandSlot[band];
      let e = this.heads[s + 1] & this.bandBit[band] ? this.heads[s] : -1;
      // Entries of other band values sharing the slot are skipped after
      // comparing their rows; the walk is bounded in case a slot is crowded.
      for (let n = 0, walked = 0; e >= 0 && n < maxScan && walked < 4 * maxScan + 32; walked++) {
        const u = (e / bands) | 0;
        const c = u >>> CHUNK_BITS;
        const i = e - c * CHUNK * bands;
        e = this.nextChunks[c][i];
        const sigs = this.sigChunks[c];
        const off = (u & CHUNK_MASK) * w + band * rows;
        let same = true;
        for (let r = 0; r < rows; r++) {
          if (sigs[off + r] !== sig[band * rows + r]) {
            same = false;
            break;
          }
        }
        if (!same) continue;
        n++;
        if (this.reported(u, stamp)) continue;
        visit(u);
      }
    }
  }

  /** Whether `u` was already reported in the lookup `stamp`; records it if not. */
  private reported(u: number, stamp: number): boolean {
    const units = this.reportedUnit;
    const stamps = this.reportedStamp;
    const mask = units.length - 1;
    let i = Math.imul(u, 0x9e3779b1) >>> this.reportedShift;
    for (; stamps[i] === stamp; i = (i + 1) & mask) if (units[i] === u) return true;
    units[i] = u;
    stamps[i] = stamp;
    if (++this.reportedCount * 2 > units.length) this.growReported(stamp);
    return false;
  }

  private growReported(stamp: number): void {
    const units = this.reportedUnit;
    const stamps = this.reportedStamp;
    this.reportedUnit = new Int32Array(units.length * 2);
    this.reportedStamp = new Int32Array(units.length * 2);
    this.reportedShift--;
    this.reportedCount = 0;
    for (let i = 0; i < units.length; i++) if (stamps[i] === stamp) this.reported(units[i]!, stamp);
  }

  /**
   * Forgets a unit's signature (erasure): it is zeroed, so no real signature
   * matches it; its chain entries stay until the table is next rebuilt.
   */
  erase(unit: number): void {
    this.signatureOf(unit).fill(0);
    this.countChunks[unit >>> CHUNK_BITS][unit & CHUNK_MASK] = 0;
  }

  /** Estimated Jaccard similarity: the share of equal signature positions. */
  similarity(unit: number, sig: Uint16Array): number {
    const sigs = this.sigChunks[unit >>> CHUNK_BITS];
    const off = (unit & CHUNK_MASK) * this.width;
    let eq = 0;
    for (let i = 0; i < this.width; i++) if (sigs[off + i] === sig[i]) eq++;
    return eq / this.width;
  }
}

/** A slot table of `slots` empty slots: head -1, filter 0. */
function emptySlots(slots: number): Int32Array {
  const heads = new Int32Array(2 * slots);
  for (let i = 0; i < heads.length; i += 2) heads[i] = -1;
  return heads;
}
