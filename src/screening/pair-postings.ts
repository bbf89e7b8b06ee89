// Compact postings for the talking-point index: pair hash -> the letters
// (numbers, ascending) that use the pair. A Map<number, number[]> costs about
// 100 bytes per pair, and most pairs of a letter are used by that letter
// alone: at 100,000 letters in the window that was most of 700 MB.
//
// Here a pair hash is interned in an open-addressing table (Uint32Array keys,
// linear probing, backward-shift deletion, so no tombstones pile up as the
// window slides). A pair used by one letter keeps that letter in the table
// slot itself (value >= 0); a pair used by two letters or more gets an id
// (value ~id) whose letters are a growable segment of one Int32Array pool,
// with power-of-two size classes and free lists so that segments freed by
// forgotten letters are reused. Ids are recycled too.
//
// Letters are appended in ascending order and mostly removed from the front
// (the window slides), so a segment keeps a head offset: removing the oldest
// is O(1), and the segment is compacted only when half of it is dead.
import { grown } from './typed-arrays.ts';

const EMPTY = 0; // pair hashes are never 0 (see pairHash)

export class PairPostings {
  private keys = new Uint32Array(1 << 12);
  private vals = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private size = 0;

  // Segments of lists of two letters or more, by id.
  private pool = new Int32Array(1 << 12);
  private top = 0;
  private freeSegments: number[][] = [];
  private off = new Int32Array(256);
  private head = new Int32Array(256);
  private len = new Int32Array(256);
  /** Capacity of the segment is 1 << cls. */
  private cls = new Uint8Array(256);
  private nextId = 0;
  private freeIds: number[] = [];

  /** Bytes held (typed arrays only). */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength + this.pool.byteLength + 13 * this.off.length;
  }

  /** Calls `fn` with the last `max` letters using the pair, oldest first. */
  forRecent(h: number, max: number, fn: (letter: number) => void): void {
    const i = this.slot(h);
    if (this.keys[i] === EMPTY) return;
    const v = this.vals[i]!;
    if (v >= 0) {
      if (max > 0) fn(v);
      return;
    }
    const id = ~v;
    const from = this.off[id]! + this.head[id]!;
    const to = from + this.len[id]!;
    const pool = this.pool; // fn does not add or remove
    for (let k = Math.max(from, to - max); k < to; k++) fn(pool[k]!);
  }

  /** Adds `letter` (larger than every letter already there) to the pair's letters. */
  add(h: number, letter: number): void {
    const i = this.slot(h);
    if (this.keys[i] === EMPTY) {
      this.keys[i] = h;
      this.vals[i] = letter;
      if (++this.size * 4 > this.keys.length * 3) this.rehash(this.keys.length * 2);
      return;
    }
    const v = this.vals[i]!;
    if (v >= 0) {
      const id = this.newId();
      const o = this.alloc(1);
      this.pool[o] = v;
      this.pool[o + 1] = letter;
      this.off[id] = o;
      this.head[id] = 0;
      this.len[id] = 2;
      this.cls[id] = 1;
      this.vals[i] = ~id;
      return;
    }
    const id = ~v;
    const cap = 1 << this.cls[id]!;
    if (this.head[id]! + this.len[id]! === cap) {
      // Full: compact when half of it is dead (amortised O(1)), else grow.
      if (this.head[id]! >= cap >> 1) {
        const from = this.off[id]! + this.head[id]!;
        this.pool.copyWithin(this.off[id]!, from, from + this.len[id]!);
        this.head[id] = 0;
      } else this.move(id, this.cls[id]! + 1);
    }
    this.pool[this.off[id]! + this.head[id]! + this.len[id]!] = letter;
    this.len[id]!++;
  }

  /** Takes `letter` out of the pair's letters, if there. */
  delete(h: number, letter: number): void {
    const i = this.slot(h);
    if (this.keys[i] === EMPTY) return;
    const v = this.vals[i]!;
    if (v >= 0) {
      if (v === letter) this.deleteSlot(i);
      return;
    }
    const id = ~v;
    const from = this.off[id]! + this.head[id]!;
    const n = this.len[id]!;
    let k: number;
    if (this.pool[from] === letter) k = 0;
    else {
      // Ascending: binary search.
      let lo = 1;
      let hi = n - 1;
      k = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const x = this.pool[from + mid]!;
        if (x === letter) {
          k = mid;
          break;
        }
        if (x < letter) lo = mid + 1;
        else hi = mid - 1;
      }
      if (k < 0) return;
    }
    if (k === 0) this.head[id]!++;
    else this.pool.copyWithin(from + k, from + k + 1, from + n);
    this.len[id] = n - 1;
    if (n - 1 === 1) {
      // Back to one letter: it lives in the table slot again.
      this.vals[i] = this.pool[this.off[id]! + this.head[id]!]!;
      this.freeSegment(this.off[id]!, this.cls[id]!);
      this.freeIds.push(id);
    } else if (this.cls[id]! > 1 && (n - 1) * 4 <= 1 << this.cls[id]!) this.move(id, this.cls[id]! - 1);
  }

  // --- table -----------------------------------------------------------------

  private slot(h: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = h & mask;
    while (keys[i] !== EMPTY && keys[i] !== h) i = (i + 1) & mask;
    return i;
  }

  private deleteSlot(i: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (keys[j] === EMPTY) break;
      const home = keys[j]! & mask;
      // The entry at j may fill the hole at i unless its home lies in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j]!;
        this.vals[i] = this.vals[j]!;
        i = j;
      }
    }
    keys[i] = EMPTY;
    this.size--;
    if (this.keys.length > 1 << 12 && this.size * 8 < this.keys.length) this.rehash(this.keys.length / 2);
  }

  private rehash(capacity: number): void {
    const { keys, vals } = this;
    this.keys = new Uint32Array(capacity);
    this.vals = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === EMPTY) continue;
      const j = this.slot(keys[i]!);
      this.keys[j] = keys[i]!;
      this.vals[j] = vals[i]!;
    }
  }

  // --- segments --------------------------------------------------------------

  private newId(): number {
    const id = this.freeIds.pop();
    if (id !== undefined) return id;
    if (this.nextId === this.off.length) {
      const n = this.off.length * 2;
      this.off = grown(this.off, n);
      this.head = grown(this.head, n);
      this.len = grown(this.len, n);
      this.cls = grown(this.cls, n);
    }
    return this.nextId++;
  }

  /** Moves the segment of `id` to a new one of class `c` (its letters first). */
  private move(id: number, c: number): void {
    const o = this.alloc(c); // may replace the pool: read offsets after
    const from = this.off[id]! + this.head[id]!;
    this.pool.copyWithin(o, from, from + this.len[id]!);
    this.freeSegment(this.off[id]!, this.cls[id]!);
    this.off[id] = o;
    this.head[id] = 0;
    this.cls[id] = c;
  }

  private alloc(c: number): number {
    const o = this.freeSegments[c]?.pop();
    if (o !== undefined) return o;
    const size = 1 << c;
    if (this.top + size > this.pool.length) {
      // Grown by half (not doubled): spare capacity stays under half of what is used.
      let n = this.pool.length + (this.pool.length >> 1);
      while (this.top + size > n) n += n >> 1;
      this.pool = grown(this.pool, n);
    }
    const at = this.top;
    this.top += size;
    return at;
  }

  private freeSegment(o: number, c: number): void {
    (this.freeSegments[c] ??= []).push(o);
  }
}

/**
 * The letters' pair sequences, end to end in one growable Uint32Array
 * rather than one typed array per letter (each costs ~100 bytes of object
 * besides its data). Letters are appended in order and forgotten in order,
 * so the forgotten ones are a prefix, dropped when the buffer is compacted;
 * where each letter's sequence starts is kept for the letters not forgotten
 * only, so nothing is held per letter ever added.
 *
 * The buffer is compacted when full, and its capacity kept between 1.25 and
 * 2.5 times the live entries (grown or shrunk to 1.5 times): a compaction
 * copies the live entries once per a quarter of them appended at least, and
 * the spare room stays a fraction of them (doubling kept 2 to 4 times: at a
 * million letters, 67 MB for 21 MB live).
 */
export class SequenceLog {
  private buf = new Uint32Array(1 << 12);
  /** Position (since the start of the log) of buf[0], of the end, and of the first still needed. */
  private base = 0;
  private end = 0;
  private keep = 0;
  /** Letters before `first` are forgotten; letter `first + i` starts at `starts[from + i]`, `lengths[from + i]` long. */
  private first = 0;
  private from = 0;
  private count = 0;
  private starts = new Float64Array(1 << 8);
  private lengths = new Int32Array(1 << 8);

  get bytes(): number {
    return this.buf.byteLength + this.starts.byteLength + this.lengths.byteLength;
  }

  /** Appends the next letter's sequence. */
  push(seq: Uint32Array): void {
    if (this.end + seq.length - this.base > this.buf.length) this.compact(seq.length);
    this.buf.set(seq, this.end - this.base);
    if (this.from + this.count === this.starts.length) this.compactLetters();
    this.starts[this.from + this.count] = this.end;
    this.lengths[this.from + this.count] = seq.length;
    this.count++;
    this.end += seq.length;
  }

  /** The letter's sequence (a view: valid until the next push); empty once forgotten. */
  get(letter: number): Uint32Array {
    const i = letter - this.first;
    if (i < 0 || !this.lengths[this.from + i]) return EMPTY_SEQUENCE;
    const from = this.starts[this.from + i]! - this.base;
    return this.buf.subarray(from, from + this.lengths[this.from + i]!);
  }

  /** Empties the letter's sequence (its space is reclaimed once the letters before it are forgotten). */
  clear(letter: number): void {
    const i = letter - this.first;
    if (i >= 0) this.lengths[this.from + i] = 0;
  }

  /** The letters before `letter` are no longer needed. */
  forgetBefore(letter: number): void {
    const drop = Math.min(letter, this.first + this.count) - this.first;
    if (drop <= 0) return;
    this.keep = drop < this.count ? this.starts[this.from + drop]! : this.end;
    this.first += drop;
    this.from += drop;
    this.count -= drop;
  }

  /** Makes room for `more` entries: drops the forgotten prefix, resizing when the room left would be outside 1.25 to 2.5 times the live entries. */
  private compact(more: number): void {
    const live = this.end - this.keep;
    const needed = live + more;
    const cap = this.buf.length;
    const n = cap < 1.25 * needed || cap > 2.5 * needed ? Math.max(1 << 12, Math.ceil(1.5 * needed)) : cap;
    if (n === cap) this.buf.copyWithin(0, this.keep - this.base, this.end - this.base);
    else {
      const buf = new Uint32Array(n);
      buf.set(this.buf.subarray(this.keep - this.base, this.end - this.base));
      this.buf = buf;
    }
    this.base = this.keep;
  }

  /** Moves the live letters' starts and lengths to the front, growing the arrays when they are more than half full. */
  private compactLetters(): void {
    const n = this.count * 2 > this.starts.length ? this.starts.length * 2 : this.starts.length;
    const starts = n === this.starts.length ? this.starts : new Float64Array(n);
    const lengths = n === this.lengths.length ? this.lengths : new Int32Array(n);
    starts.set(this.starts.subarray(this.from, this.from + this.count));
    lengths.set(this.lengths.subarray(this.from, this.from + this.count));
    this.starts = starts;
    this.lengths = lengths;
    this.from = 0;
  }
}

const EMPTY_SEQUENCE = new Uint32Array(0);

/**
 * A number per letter (arrival time, writer) needed only until the letter is
 * forgotten: held for the letters not forgotten only (a JS array over every
 * letter ever added is 8 bytes a letter and more on growth).
 */
export class RecentValues {
  private values = new Float64Array(1 << 8);
  /** Letter `first + i` is at `values[from + i]`, that is at `values[letter + shift]`. */
  private first = 0;
  private from = 0;
  private count = 0;
  private shift = 0;

  get bytes(): number {
    return this.values.byteLength;
  }

  /** Appends the next letter's value. */
  push(value: number): void {
    if (this.from + this.count === this.values.length) {
      // Moves the live values to the front; grows when they are more than half.
      const n = this.count * 2 > this.values.length ? this.values.length * 2 : this.values.length;
      const values = n === this.values.length ? this.values : new Float64Array(n);
      values.set(this.values.subarray(this.from, this.from + this.count));
      this.values = values;
      this.from = 0;
      this.shift = -this.first;
    }
    this.values[this.from + this.count++] = value;
  }

  /** The value of a letter not forgotten. */
  get(letter: number): number {
    return this.values[letter + this.shift]!;
  }

  /** The letters before `letter` are no longer needed. */
  forgetBefore(letter: number): void {
    const drop = Math.min(letter, this.first + this.count) - this.first;
    if (drop <= 0) return;
    this.first += drop;
    this.from += drop;
    this.count -= drop;
  }
}
