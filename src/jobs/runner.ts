// Runs background jobs kept in the database (jobs/index.ts lists every kind):
// several app nodes may run one each; a claimed job is locked for a while,
// and retried with backoff when its handler fails.
import type { AppContext } from '../context.ts';
import { claimJobs, completeJobs, failJob, type Job } from '../db/repositories/jobs.ts';
import { poll, type Poller } from '../util/poll.ts';

export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>, job: Job) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

export type JobRunner = {
  /** One round: claims due jobs and runs them; returns how many it claimed. */
  runOnce(): Promise<number>;
  /** Runs rounds in the background until the returned poller is stopped. */
  start(opts?: { intervalMs?: number }): Poller;
};

const LOCK_MS = 5 * 60_000;
const BATCH = 20;
const AT_ONCE = 8;
/** Jobs one round claims at most, so that a round ends (and the node can stop) while jobs keep coming. */
const PER_ROUND = 5 * BATCH;

function backoff(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
}

export function jobRunner(ctx: AppContext, handlers: JobHandlers): JobRunner {
  const log = ctx.log.child({ component: 'jobs' });

  /** `done`: told when the job succeeded, to be marked complete with others. */
  async function run(job: Job, done: (id: string) => void): Promise<void> {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(ctx, job.payload, job);
      done(job.id);
      ctx.metrics.jobsRun.inc({ kind: job.kind, outcome: 'done' });
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, error: message }, 'job failed');
      await failJob(ctx.db, job, message, new Date(Date.now() + backoff(job.attempts)));
      ctx.metrics.jobsRun.inc({ kind: job.kind, outcome: job.attempts >= job.maxAttempts ? 'failed' : 'retry' });
    }
  }

  async function runOnce(): Promise<number> {
    // A few places, each taking the next claimed job as it frees up and
    // claiming more when none is left: their writes share the write queue's
    // commits, and one slow job (a webhook's receiver, the mail relay, a
    // grouping that waits seconds for the analysis worker) holds its own place
    // only. Batches of eight, each waiting for its slowest, left
    // acknowledgements waiting behind groupings under a burst.
    const claimed: Job[] = [];
    let taken = 0;
    let dry = false;
    let claiming: Promise<void> | null = null;
    const claimMore = () =>
      (claiming ??= claimJobs(ctx.db, new Date(), BATCH, LOCK_MS)
        .then((jobs) => {
          claimed.push(...jobs);
          taken += jobs.length;
          dry = jobs.length === 0 || taken >= PER_ROUND;
        })
        .finally(() => {
          claiming = null;
        }));
    // Succeeded jobs are marked complete together, a batch at a time: a
    // transaction each was most of an acknowledgement's cost on PostgreSQL.
    // One that succeeded but is not marked yet when the node stops runs again
    // after its lock, as it would if the node stopped just before its mark:
    // jobs are written to bear that (mail and webhooks are claimed before
    // they are sent).
    const succeeded: string[] = [];
    const complete = () => (succeeded.length ? completeJobs(ctx.db, succeeded.splice(0)) : Promise.resolve());
    async function place(): Promise<void> {
      for (;;) {
        const job = claimed.shift();
        if (job) {
          await run(job, (id) => succeeded.push(id));
          if (succeeded.length >= BATCH) await complete();
        } else if (dry) return;
        else await claimMore();
      }
    }
    try {
      await Promise.all(Array.from({ length: AT_ONCE }, place));
    } finally {
      await complete();
    }
    return taken;
  }

  return { runOnce, start: (opts = {}) => poll(runOnce, { intervalMs: opts.intervalMs ?? 500, log, failure: 'job runner could not claim jobs' }) };
}
