// A small seeded generator (xorshift32): the same seed gives the same
// sequence, so that an analysis run twice on the same letters gives the same
// themes, and a fuzz or synthetic test is reproduced from its seed. Not for
// anything secret (util/random.ts is).
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
