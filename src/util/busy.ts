// "Not now, try again then": the one refusal that is the desk's fault rather
// than the request's. Anything that sheds load or finds a part unavailable
// throws Busy with how long to wait; the doors turn it into 503 with
// Retry-After (HTTP), 451 (SMTP), or a form that says when in words.
export class Busy extends Error {
  /** Whole seconds to wait before trying again (Retry-After). */
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** A wait as people round it: a few seconds (null), or about so many seconds, minutes or hours. */
export function roundedWait(seconds: number): { n: number; unit: 'second' | 'minute' | 'hour' } | null {
  const s = Math.max(1, Math.ceil(seconds));
  if (s <= 5) return null;
  if (s < 60) return { n: s, unit: 'second' };
  const m = Math.max(1, Math.round(s / 60));
  if (m < 60) return { n: m, unit: 'minute' };
  return { n: Math.max(1, Math.round(m / 60)), unit: 'hour' };
}

/** "in a few seconds", "in about 40 seconds", "in about 3 minutes", "in about an hour": when, as a reader would say it. */
export function inWords(seconds: number): string {
  const w = roundedWait(seconds);
  if (!w) return 'in a few seconds';
  if (w.n === 1) return w.unit === 'minute' ? 'in about a minute' : 'in about an hour';
  return `in about ${w.n} ${w.unit}s`;
}

/** The Busy an error is, or was caused by (a stored message whose settling was shed), if any. */
export function busyOf(err: unknown): Busy | null {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof Busy) return e;
  return null;
}
