// Load shedding: a door that lets in only what can be answered in time.
// Past what the database (or the process) can take, a queue only makes every
// waiting client wait longer, and holds each one's request in memory
// meanwhile. So a newcomer is refused at once (Busy: 503 with Retry-After,
// SMTP 451) when `limit` are already waiting, or when the oldest waiting has
// waited over `maxWaitMs`. The first rule bounds memory, the second latency;
// `minimum` always get in, so a single slow moment (an fsync stall) does not
// turn clients away.
import { Busy, inWords } from './busy.ts';

export type Admission = {
  /** Lets one in (returns its ticket) or throws Busy. */
  enter(limit?: number): number;
  /** The Busy a newcomer would get now, without letting anyone in (a door that wants to refuse before costly work). */
  wouldRefuse(limit?: number): Busy | null;
  /** The one with this ticket was answered. */
  leave(ticket: number): void;
  /** How many are in now. */
  size(): number;
};

export function admission(opts: { limit: number; maxWaitMs: number; minimum: number; what: string }): Admission {
  // When each was let in (insertion order: the first is the oldest).
  const inside = new Map<number, number>();
  let next = 0;
  // Answered per second, smoothed over a few seconds: how soon a queue of a given length empties.
  let rate = 0;
  let count = 0;
  let since = performance.now();

  function refusal(limit: number): Busy | null {
    const n = inside.size;
    if (n < opts.minimum) return null;
    const waited = performance.now() - inside.values().next().value!;
    if (n < limit && waited <= opts.maxWaitMs) return null;
    // As long as the queue takes to empty at the rate it empties, spread
    // over as long again so the refused do not all come back at once.
    const drain = rate > 0 ? n / rate : waited / 1000;
    // Ten seconds at most: load passes, and a writer told to wait long is a letter lost to impatience.
    const seconds = Math.min(10, Math.max(1, Math.ceil(drain * (1 + Math.random()))));
    return new Busy(`The desk is taking more ${opts.what} than it can store just now; please try again ${inWords(seconds)}.`, seconds);
  }

  return {
    wouldRefuse: (limit = opts.limit) => refusal(limit),
    enter(limit = opts.limit) {
      const busy = refusal(limit);
      if (busy) throw busy;
      const ticket = next++;
      inside.set(ticket, performance.now());
      return ticket;
    },
    leave(ticket) {
      if (!inside.delete(ticket)) return;
      count++;
      const now = performance.now();
      if (now - since >= 500) {
        const r = (count * 1000) / (now - since);
        rate = rate ? rate * 0.5 + r * 0.5 : r;
        count = 0;
        since = now;
      }
    },
    size: () => inside.size,
  };
}
