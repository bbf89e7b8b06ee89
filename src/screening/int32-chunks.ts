// A growable sequence of int32 in fixed-size chunks. Growing copies nothing
// and leaves at most one chunk unused, where an array doubled on growth
// carries up to as much again of spare capacity (at a million letters, tens
// of megabytes for a value per paragraph).

const BITS = 16;
const CHUNK = 1 << BITS;
const MASK = CHUNK - 1;

export class Int32Chunks {
  private chunks: Int32Array[] = [];

  /** Bytes held. */
  get bytes(): number {
    return this.chunks.length * CHUNK * 4;
  }

  get(i: number): number {
    return this.chunks[i >>> BITS]![i & MASK]!;
  }

  /** Sets entry `i`, adding chunks (zeroed) up to it. */
  set(i: number, value: number): void {
    const c = i >>> BITS;
    while (c >= this.chunks.length) this.chunks.push(new Int32Array(CHUNK));
    this.chunks[c]![i & MASK] = value;
  }
}
