// Runs background jobs kept in the database (jobs/index.ts lists every kind):
// several app nodes may run one each; a claimed job is locked for a while,
// and retried with backoff when its handler fails.
import type { AppContext } from '../context.ts';
import { claimJobs, completeJobs, failJob, type Job } from '../db/repositories/jobs.ts';
import type { Poller } from '../util/poll.ts';

export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>, job: Job) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

export type JobRunner = {
  /** One round: claims due jobs and runs them; returns how many it claimed. */
  runOnce(): Promise<number>;
  /** Runs jobs in the background until the returned poller is stopped. */
  start(opts?: { intervalMs?: number }): Poller;
};

const LOCK_MS = 5 * 60_000;
/**
 * Jobs claimed at once, and run at once. Under 500 letters a second an
 * acknowledgement mail a letter is most jobs, and on PostgreSQL each claim,
 * mark and mail's keeping is a transaction for all that ask together
 * (outbox.ts), so more places make bigger transactions: with 20 and 8, mail
 * fell 5,000 behind in 30 s; with 50 and 16 it kept up on a faster machine
 * but swung to 1,400–3,600 waiting and grew on a slower one, where 24 kept
 * it under 500 (two 60-second runs each; 32 kept up too but slowed
 * screening to a p99 of 1.6–1.7 s against 0.9–1.1). SQLite keeps up with
 * either.
 */
const BATCH = 50;
const AT_ONCE = 24;
/** Jobs one round (`runOnce`: a drain, a test) claims at most, so that it ends while jobs keep coming. */
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

  /**
   * Runs claimed jobs in AT_ONCE places, each taking the next claimed job as
   * it frees up and claiming more when none is left: their writes share the
   * write queue's commits, and one slow job (a webhook's receiver, the mail
   * relay, a grouping that waits seconds for the analysis worker) holds its
   * own place only. Batches of eight, each waiting for its slowest, left
   * acknowledgements waiting behind groupings under a burst. `more` is asked
   * after each claim whether to claim again (it may wait first). Without
   * `trouble`, a failure to claim or to mark a job ends the round with that
   * error once the others finish theirs; with it, the failure is handed to
   * `trouble`, which says whether to go on (so no place is lost to it).
   * Returns how many jobs were claimed.
   */
  async function work(more: (taken: number, found: number) => Promise<boolean> | boolean, trouble?: (err: unknown) => Promise<boolean>): Promise<number> {
    const claimed: Job[] = [];
    let taken = 0;
    let dry = false;
    let claiming: Promise<void> | null = null;
    const claimMore = () =>
      (claiming ??= claimJobs(ctx.db, new Date(), BATCH, LOCK_MS)
        .then(
          async (jobs) => {
            claimed.push(...jobs);
            taken += jobs.length;
            dry = !(await more(taken, jobs.length));
          },
          // Once for all the places waiting on this claim.
          async (err) => {
            if (!trouble) throw err;
            dry = !(await trouble(err));
          },
        )
        .finally(() => {
          claiming = null;
        }));
    // Succeeded jobs are marked complete together, a batch at a time (and
    // before claiming more): a transaction each was most of an
    // acknowledgement's cost on PostgreSQL. One that succeeded but is not
    // marked yet when the node stops runs again after its lock, as it would
    // if the node stopped just before its mark: jobs are written to bear
    // that (mail and webhooks are claimed before they are sent).
    const succeeded: string[] = [];
    const complete = () => (succeeded.length ? completeJobs(ctx.db, succeeded.splice(0)) : Promise.resolve());
    async function place(): Promise<void> {
      for (;;) {
        try {
          const job = claimed.shift();
          if (job) {
            await run(job, (id) => succeeded.push(id));
            if (succeeded.length >= BATCH) await complete();
          } else if (dry) return;
          else {
            await complete();
            await claimMore();
          }
        } catch (err) {
          // A job's failure could not be recorded, or marks could not be written (those jobs run again after their lock).
          if (!trouble || !(await trouble(err))) throw err;
        }
      }
    }
    // Every place finishes its job before the marks are written, even when another failed.
    const places = await Promise.allSettled(Array.from({ length: AT_ONCE }, place));
    await complete();
    for (const p of places) if (p.status === 'rejected') throw p.reason;
    return taken;
  }

  /** One round: jobs due now, at most PER_ROUND of them. */
  const runOnce = () => work((taken, found) => found > 0 && taken < PER_ROUND);

  /**
   * In the background the places never stop between rounds: a round ended
   * only when its slowest job had (a grouping waiting seconds for the
   * analysis worker), and under a burst acknowledgements queued up behind it
   * meanwhile. When nothing is due, the places wait `intervalMs` together;
   * `stop` ends the wait and lets the jobs under way finish.
   */
  function start(opts: { intervalMs?: number } = {}): Poller {
    const intervalMs = opts.intervalMs ?? 500;
    let stopped = false;
    let lastOk: number | null = null;
    // Several places may pause at once (a failed mark, a failed claim): stop wakes them all.
    const waking = new Set<() => void>();
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waking.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        timer.unref();
        waking.add(wake);
      });
    /** Logs a failure to claim or mark jobs and pauses; says whether to go on. */
    const trouble = async (err: unknown) => {
      log.error({ err }, 'job runner could not claim or mark jobs');
      if (!stopped) await pause(intervalMs * 4);
      return !stopped;
    };
    const more = async (_taken: number, found: number) => {
      lastOk = Date.now();
      if (!found && !stopped) await pause(intervalMs);
      return !stopped;
    };
    const loop = (async () => {
      while (!stopped) {
        try {
          await work(more, trouble);
        } catch (err) {
          // Only a failure while stopping reaches here (trouble said to stop, and logged it).
          if (!stopped) await trouble(err);
        }
      }
    })();
    return {
      async stop() {
        stopped = true;
        for (const wake of [...waking]) wake();
        await loop;
      },
      lastSuccess: () => lastOk,
    };
  }

  return { runOnce, start };
}
