// The benches' percentile: the value at rank floor(p% of n) of sorted
// values (NaN for none), so that every bench's p50 and p99 mean the same.
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}
