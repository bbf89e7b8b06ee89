// Agreement measures for the insights tests: adjusted Rand index between a
// clustering and labels (Hubert & Arabie 1985), and plain accuracy.

function choose2(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Adjusted Rand index of two labellings of the same items (1 = identical, ~0 = chance). */
export function adjustedRand(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) throw new Error('labellings differ in length');
  const n = a.length;
  if (n < 2) return 1;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const c of cells.values()) index += choose2(c);
  let sa = 0;
  for (const c of rows.values()) sa += choose2(c);
  let sb = 0;
  for (const c of cols.values()) sb += choose2(c);
  const expected = (sa * sb) / choose2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

export function accuracy(pred: readonly string[], truth: readonly string[]): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) right++;
  return truth.length ? right / truth.length : 0;
}
