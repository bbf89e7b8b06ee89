// Load shedding: a door that lets in only what can be answered in time.
// Past what the database (or the process) can take, a queue only makes every
// waiting client wait longer, and holds each one's request in memory
// meanwhile. So a newcomer is refused at once (Busy: 503 with Retry-After,
// SMTP 451) when:
// - `limit` are already in (memory), or
// - as many are in as the door lets out in `maxWaitMs` at the rate it has
//   been letting them out (Little's law: more would wait longer than that;
//   a rate is read from eight exits or more), or
// - the oldest inside has waited over `maxWaitMs` (the rate is out of date:
//   the database or the process has just slowed down).
// `minimum` always get in, so a quiet door takes a burst, and a single slow
// moment (an fsync stall) does not turn clients away. Without the second
// rule, a burst as large as `limit` was let in before the oldest had waited
// long enough to stop anyone, and all of it waited for the slowest.
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

/** How far back the rate at which the door lets them out is measured. */
const RATE_WINDOW_MS = 2000;
/** Exits in the window a rate is read from: fewer say nothing of what the door can let out. */
const FIRST_EXITS = 8;

export function admission(opts: { limit: number; maxWaitMs: number; minimum: number; what: string }): Admission {
  // When each was let in (insertion order: the first is the oldest).
  const inside = new Map<number, number>();
  let next = 0;
  // When each of the recent ones was let out (the last RATE_WINDOW_MS): the rate the door lets them out now.
  let out: number[] = [];
  let head = 0;
  // The first exit since none was recent.
  let firstOut = 0;
  const trim = (now: number) => {
    while (head < out.length && out[head]! < now - RATE_WINDOW_MS) head++;
    if (head > 1024 || head === out.length) {
      out = out.slice(head);
      head = 0;
    }
  };
  const rate = (): number => {
    const now = performance.now();
    trim(now);
    const recent = out.length - head;
    // Too few let out lately to say: no rate to go by (a quiet door, or one
    // stuck, which the oldest's wait shows). A cold start's first letter out,
    // 6 ms after it began, read as 4 a second and refused the start of a
    // burst of 500 a second; a quiet desk's letter every second and a half
    // read as its rate refused the next burst after its first 32.
    if (recent < FIRST_EXITS) return 0;
    return (recent * 1000) / Math.max(1, Math.min(RATE_WINDOW_MS, now - firstOut));
  };

  function refusal(limit: number): Busy | null {
    const n = inside.size;
    // The few always let in are never more than the limit (a limit set below them still holds).
    if (n < Math.min(opts.minimum, limit)) return null;
    const waited = performance.now() - inside.values().next().value!;
    const perSecond = rate();
    const inTime = perSecond > 0 ? (perSecond * opts.maxWaitMs) / 1000 : Infinity;
    if (n < limit && n < inTime && waited <= opts.maxWaitMs) return null;
    // As long as the queue takes to empty at the rate it empties, spread
    // over as long again so the refused do not all come back at once.
    const drain = perSecond > 0 ? n / perSecond : waited / 1000;
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
      const now = performance.now();
      trim(now);
      if (out.length === head) firstOut = now;
      out.push(now);
    },
    size: () => inside.size,
  };
}
