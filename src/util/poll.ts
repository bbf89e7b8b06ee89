// A background loop for work kept in the database (jobs, queued events):
// runs `round` again at once while it finds work, waits `intervalMs` when it
// finds none, and waits longer after a failure, which it logs. It never
// keeps the process alive, and `stop` waits for the round under way.
import type { Logger } from 'pino';

export type Poller = {
  stop(): Promise<void>;
  /** When a round last finished without failing (ms since the epoch), or null before the first. */
  lastSuccess(): number | null;
};

export function poll(round: () => Promise<number>, opts: { intervalMs: number; log: Logger; failure: string }): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> | null = null;
  let lastOk: number | null = null;

  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };

  async function tick(): Promise<void> {
    if (stopped) return;
    try {
      const work = round();
      current = work;
      const n = await work;
      lastOk = Date.now();
      next(n > 0 ? 0 : opts.intervalMs);
    } catch (err) {
      opts.log.error({ err }, opts.failure);
      next(opts.intervalMs * 4);
    } finally {
      current = null;
    }
  }
  next(0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.catch(() => {});
    },
    lastSuccess: () => lastOk,
  };
}

/**
 * Runs `task` every `ms` (and at once when `now`) without keeping the process
 * alive; a failure is logged as `failure` and the next round runs anyway.
 */
export function every(ms: number, task: () => Promise<unknown>, opts: { log: Logger; failure: string; now?: boolean }): Poller {
  let lastOk: number | null = null;
  const run = () =>
    void task().then(
      () => (lastOk = Date.now()),
      (err) => opts.log.warn({ err: (err as Error).message }, opts.failure),
    );
  if (opts.now) run();
  const timer = setInterval(run, ms);
  timer.unref();
  return { stop: async () => clearInterval(timer), lastSuccess: () => lastOk };
}
