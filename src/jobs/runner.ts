// Runs background jobs kept in the database: several app nodes may run one
// each; a claimed job is locked for a while, and retried with backoff when
// its handler fails.
import type { AppContext } from '../context.ts';
import { claimJobs, completeJob, failJob, type Job } from '../db/repositories/jobs.ts';

export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>, job: Job) => Promise<void>;

const handlers = new Map<string, JobHandler>();

export function registerJob(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

export type Runner = { stop(): Promise<void>; runOnce(): Promise<number> };

const LOCK_MS = 5 * 60_000;

function backoff(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
}

export function startJobRunner(ctx: AppContext, opts: { intervalMs?: number; batch?: number } = {}): Runner {
  const interval = opts.intervalMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<number> | null = null;
  const log = ctx.log.child({ component: 'jobs' });

  async function runOnce(): Promise<number> {
    const jobs = await claimJobs(ctx.db, new Date(), opts.batch ?? 20, LOCK_MS);
    for (const job of jobs) {
      const handler = handlers.get(job.kind);
      try {
        if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
        await handler(ctx, job.payload, job);
        await completeJob(ctx.db, job.id);
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, error: message }, 'job failed');
        await failJob(ctx.db, job, message, new Date(Date.now() + backoff(job.attempts)));
      }
    }
    return jobs.length;
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    try {
      current = runOnce();
      const n = await current;
      current = null;
      // Keep going while there is work; otherwise wait.
      timer = setTimeout(tick, n > 0 ? 0 : interval);
    } catch (err) {
      current = null;
      log.error({ err }, 'job runner could not claim jobs');
      timer = setTimeout(tick, interval * 4);
    }
  }
  timer = setTimeout(tick, 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.catch(() => {});
    },
  };
}
