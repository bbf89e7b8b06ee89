// Letter ids (strings, given by the caller) and the numbers the campaign
// index knows letters by, both ways, without an object per letter. An array
// of strings and a Map from id to number cost ~70 bytes a letter with short
// ids (each string is an object of its own, each Map entry three words and a
// share of the buckets), ~100 with uuids: 70 MB at a million letters.
//
// Here the ids' characters sit end to end in byte chunks (an id never spans
// two), with their start and length per letter, and an open-addressing table
// of letter numbers finds an id by hash: ~20 bytes a letter with short ids,
// ~50 with uuids. Ids that are not Latin-1, or longer than LONG, are rare and
// kept in Maps instead.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
/** Ids of this many characters or more are kept in the Maps (their length byte says so). */
const LONG = 255;
/** Table slots: 0 empty, -1 a removed letter's, else letter + 1. */
const EMPTY = 0;
const REMOVED = -1;

export class LetterIds {
  private chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private used = CHUNK;
  /** Per letter: where its id starts in the chunks (chunk * CHUNK + offset), and its length (LONG: in the Maps). */
  private start = new Int32Array(1024);
  private length = new Uint8Array(1024);
  private count = 0;
  private table = new Int32Array(1024);
  /** Slots taken, removed ones included (they are dropped when the table is rebuilt). */
  private taken = 0;
  private odd = new Map<number, string>();
  private oddByText = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  /** Bytes held (the Maps of odd ids aside). */
  get bytes(): number {
    return this.chunks.length * CHUNK + this.start.byteLength + this.length.byteLength + this.table.byteLength;
  }

  /** Numbers the id as the next letter (it must not be present). */
  add(id: string): number {
    const l = this.count++;
    if (l === this.start.length) {
      // Grown by half (not doubled): spare capacity stays under half of what is held.
      const start = new Int32Array(l + (l >> 1));
      start.set(this.start);
      this.start = start;
      const length = new Uint8Array(l + (l >> 1));
      length.set(this.length);
      this.length = length;
    }
    if (!packable(id)) {
      this.length[l] = LONG;
      this.odd.set(l, id);
      this.oddByText.set(id, l);
      return l;
    }
    if (this.used + id.length > CHUNK) {
      if (this.chunks.length === 1 << (31 - CHUNK_BITS)) throw new Error('letter ids: more than 2 GB of ids');
      this.chunks.push(Buffer.alloc(CHUNK));
      this.used = 0;
    }
    this.chunks[this.chunks.length - 1]!.write(id, this.used, 'latin1');
    this.start[l] = (this.chunks.length - 1) * CHUNK + this.used;
    this.length[l] = id.length;
    this.used += id.length;
    if ((this.taken + 1) * 2 > this.table.length) this.rebuild();
    this.place(l, hashString(id));
    return l;
  }

  /** The number of a present letter's id, or undefined. */
  get(id: string): number | undefined {
    if (!packable(id)) return this.oddByText.get(id);
    const mask = this.table.length - 1;
    for (let i = hashString(id) & mask; this.table[i] !== EMPTY; i = (i + 1) & mask) {
      const l = this.table[i]! - 1;
      if (l >= 0 && this.equals(l, id)) return l;
    }
    return undefined;
  }

  /** The id of letter `l` (removed letters' too). */
  id(l: number): string {
    const n = this.length[l]!;
    if (n === LONG) return this.odd.get(l)!;
    const s = this.start[l]!;
    const at = s & (CHUNK - 1);
    return this.chunks[s >>> CHUNK_BITS]!.toString('latin1', at, at + n);
  }

  /** Letter `l`'s id is no longer found by `get` (it may be added again, as a new letter). */
  remove(l: number): void {
    if (this.length[l] === LONG) {
      if (this.oddByText.get(this.odd.get(l)!) === l) this.oddByText.delete(this.odd.get(l)!);
      return;
    }
    const mask = this.table.length - 1;
    for (let i = this.hashOf(l) & mask; this.table[i] !== EMPTY; i = (i + 1) & mask) {
      if (this.table[i] === l + 1) {
        this.table[i] = REMOVED;
        return;
      }
    }
  }

  private equals(l: number, id: string): boolean {
    const n = this.length[l]!;
    if (n !== id.length) return false;
    const s = this.start[l]!;
    const chunk = this.chunks[s >>> CHUNK_BITS]!;
    const at = s & (CHUNK - 1);
    // From the end: ids given in sequence (uuidv7, l1, l2...) differ there.
    for (let k = n - 1; k >= 0; k--) if (chunk[at + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  /** hashString of letter `l`'s stored id. */
  private hashOf(l: number): number {
    const s = this.start[l]!;
    const chunk = this.chunks[s >>> CHUNK_BITS]!;
    const at = s & (CHUNK - 1);
    let h = 0x811c9dc5;
    for (let k = at; k < at + this.length[l]!; k++) h = Math.imul(h ^ chunk[k]!, 0x01000193);
    return mix(h);
  }

  private place(l: number, h: number): void {
    const mask = this.table.length - 1;
    let i = h & mask;
    while (this.table[i] !== EMPTY) i = (i + 1) & mask;
    this.table[i] = l + 1;
    this.taken++;
  }

  /** The table half full: rebuilt without the removed letters' slots, twice as large unless those were many. */
  private rebuild(): void {
    const old = this.table;
    let live = 0;
    for (let i = 0; i < old.length; i++) if (old[i]! > 0) live++;
    this.table = new Int32Array(live * 4 > old.length ? old.length * 2 : old.length);
    this.taken = 0;
    for (let i = 0; i < old.length; i++) if (old[i]! > 0) this.place(old[i]! - 1, this.hashOf(old[i]! - 1));
  }
}

/** Whether the id is kept in the chunks: Latin-1 and shorter than LONG. */
function packable(id: string): boolean {
  if (id.length >= LONG) return false;
  for (let k = 0; k < id.length; k++) if (id.charCodeAt(k) > 0xff) return false;
  return true;
}

/** FNV-1a over the characters (Latin-1: the same as over the stored bytes), mixed. */
function hashString(id: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  return mix(h);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
