// Polls an endpoint one request at a time while something else happens and
// records how long each answer took: how long another request was kept
// waiting. The poller runs on the desk's own event loop (as every test desk
// does), so a stalled loop shows as a slow answer.
//
// On a shared machine (CI runs two test files at once on two cores) an answer
// can also be slow because the desk's thread waited for a free core while
// other processes ran. Linux counts that wait per thread (schedstat: time
// runnable but not running), so each sample also says how much of its time
// was the desk's own doing: the wall time less the wait for a core. Time the
// thread spent blocked (I/O, locks, a busy event loop) is the desk's and
// stays in.
import fs from 'node:fs';

export type LatencySample = { wall: number; waitForCpu: number; own: number };
export type LatencyReport = { count: number; max: number; p95: number; p99: number; maxOwn: number; p99Own: number; samples: LatencySample[] };
export type LatencyProbe = { stop(): Promise<LatencyReport> };

// Read on the main thread (readFileSync), so thread-self is the desk's main thread.
const SCHEDSTAT = '/proc/thread-self/schedstat';
const haveSchedstat = (() => {
  try {
    return fs.readFileSync(SCHEDSTAT, 'utf8').split(' ').length >= 2;
  } catch {
    return false;
  }
})();

/** Nanoseconds the main thread has spent runnable but waiting for a core (0 where Linux does not say). */
function runQueueWaitNs(): number {
  if (!haveSchedstat) return 0;
  return Number(fs.readFileSync(SCHEDSTAT, 'utf8').split(' ')[1]);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0;
};

export function pollLatency(url: string, everyMs = 10): LatencyProbe {
  const samples: LatencySample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const w0 = runQueueWaitNs();
      const t = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      const wall = performance.now() - t;
      const waitForCpu = (runQueueWaitNs() - w0) / 1e6;
      samples.push({ wall, waitForCpu, own: Math.max(0, wall - waitForCpu) });
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const walls = samples.map((s) => s.wall);
      const owns = samples.map((s) => s.own);
      return { count: samples.length, max: Math.max(0, ...walls), p95: pct(walls, 0.95), p99: pct(walls, 0.99), maxOwn: Math.max(0, ...owns), p99Own: pct(owns, 0.99), samples };
    },
  };
}

/**
 * The promise checked: no request waits more than `bound` ms for the desk's
 * own work (every sample), and 95 in 100 answer within `bound` by the wall
 * clock, waits for a core included.
 */
export function withinBound(r: LatencyReport, bound: number): string | null {
  if (r.count < 10) return `only ${r.count} polls`;
  if (r.maxOwn > bound) return `a request waited ${r.maxOwn.toFixed(1)} ms for the desk's own work (bound ${bound} ms)`;
  if (r.p95 > bound) return `p95 of /healthz was ${r.p95.toFixed(1)} ms (bound ${bound} ms)`;
  return null;
}

/** One line for a test's log. */
export function describeLatency(r: LatencyReport): string {
  return `/healthz ${r.count} polls: max ${r.max.toFixed(1)} ms (p95 ${r.p95.toFixed(1)}, p99 ${r.p99.toFixed(1)}), of which the desk's own doing at most ${r.maxOwn.toFixed(1)} ms (p99 ${r.p99Own.toFixed(1)})`;
}

/** A few requests first, so that connection set-up and first-call compilation are not counted. */
export async function warmUp(url: string, times = 20): Promise<void> {
  for (let i = 0; i < times; i++) await (await fetch(url)).arrayBuffer();
}
