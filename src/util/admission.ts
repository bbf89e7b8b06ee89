// Load shedding: a door that lets in only what can be answered in time.
// Past what the database (or the process) can take, a queue only makes every
// waiting client wait longer, and holds each one's request in memory
// meanwhile. So a newcomer is refused at once (Busy: 503 with Retry-After,
// SMTP 451) when:
// - `limit` are already in (memory), or
// - as many are in as the door lets out in `maxWaitMs` at the rate it has
//   been letting them out while someone was inside (Little's law: more
//   would wait longer than that; a rate is read from eight exits or more
//   and a quarter of a second or more with someone inside), or
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
/** Exits, and the time the door has been pressed, before a rate is read: fewer, or sooner, say nothing of what it can let out. */
const FIRST_EXITS = 8;
const MIN_BUSY_MS = 250;

export function admission(opts: { limit: number; maxWaitMs: number; minimum: number; what: string }): Admission {
  // When each was let in (insertion order: the first is the oldest).
  const inside = new Map<number, number>();
  let next = 0;
  // When each of the recent ones was let out (the last RATE_WINDOW_MS).
  let out: number[] = [];
  let head = 0;
  // The stretches of the window when someone was inside: the rate is what
  // the door let out over that time, what it can do when pressed. Over the
  // time since its first exit instead, one commit answering ten at once read
  // as 10,000 a second, and a quiet desk's letters, each answered at once,
  // as its rate. Closed stretches as start, end pairs, and their total.
  let spans: number[] = [];
  let spanHead = 0;
  let closed = 0;
  let busySince: number | null = null;
  const trim = (now: number) => {
    while (head < out.length && out[head]! < now - RATE_WINDOW_MS) head++;
    if (head > 1024 || head === out.length) {
      out = out.slice(head);
      head = 0;
    }
    while (spanHead < spans.length && spans[spanHead + 1]! <= now - RATE_WINDOW_MS) {
      closed -= spans[spanHead + 1]! - spans[spanHead]!;
      spanHead += 2;
    }
    if (spanHead > 2048 || spanHead === spans.length) {
      spans = spans.slice(spanHead);
      spanHead = 0;
      if (!spans.length) closed = 0;
    }
  };
  /** How long someone was inside in the window. */
  const busyTime = (now: number): number => {
    const from = now - RATE_WINDOW_MS;
    let t = closed;
    if (spanHead < spans.length && spans[spanHead]! < from) t -= from - spans[spanHead]!;
    if (busySince !== null) t += now - Math.max(busySince, from);
    return t;
  };
  const rate = (): number => {
    const now = performance.now();
    trim(now);
    const exits = out.length - head;
    const busy = busyTime(now);
    // Too few let out, or too short a time pressed, to say: no rate to go by
    // (a cold start, a quiet door, or one stuck, which the oldest's wait
    // shows). A cold start's first letter out, 6 ms after it began, read as
    // 4 a second and refused the start of a burst of 500 a second.
    if (exits < FIRST_EXITS || busy < MIN_BUSY_MS) return 0;
    return (exits * 1000) / busy;
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
      const now = performance.now();
      if (!inside.size) busySince = now;
      inside.set(ticket, now);
      return ticket;
    },
    leave(ticket) {
      if (!inside.delete(ticket)) return;
      const now = performance.now();
      trim(now);
      out.push(now);
      if (!inside.size && busySince !== null) {
        spans.push(busySince, now);
        closed += now - busySince;
        busySince = null;
      }
    },
    size: () => inside.size,
  };
}
