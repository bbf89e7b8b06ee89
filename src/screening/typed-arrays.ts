// The indexes keep their per-letter and per-unit values in typed arrays,
// which have a fixed length: growing one is a copy into a longer one.

type Growable = Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** A copy of `a`, `n` long, of the same kind; the new room is zero. */
export function grown<T extends Growable>(a: T, n: number): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  return b;
}
