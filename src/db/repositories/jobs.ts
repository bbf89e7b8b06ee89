// Background work kept in the database, so it survives restarts and can be
// shared by several app nodes. A job is claimed by pushing its lock forward;
// a node that dies mid-job loses the lock when it expires and another retries.
import { uuidv7 } from '../../util/random.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Reader, Trx } from '../executor.ts';

export type Job = { id: string; kind: string; payload: Record<string, unknown>; attempts: number; maxAttempts: number; runAt: Date };

export async function enqueueJob(db: Db, ex: Trx, kind: string, payload: Record<string, unknown>, runAt = new Date(), maxAttempts = 10): Promise<string> {
  const id = uuidv7();
  const now = db.dialect.time(new Date());
  await insertRows(db, ex, 'jobs', [{ id, kind, payload: db.dialect.json(payload), run_at: db.dialect.time(runAt), attempts: 0, max_attempts: maxAttempts, locked_until: null, done_at: null, last_error: null, created_at: now }]);
  return id;
}

/** Makes a job not yet run due at `runAt` if it was due later. */
export async function bringJobForward(db: Db, ex: Trx, jobId: string, runAt: Date): Promise<void> {
  await ex.updateTable('jobs').set({ run_at: db.dialect.time(runAt) }).where('id', '=', jobId).where('done_at', 'is', null).where('run_at', '>', db.dialect.time(runAt)).execute();
}

/** Several jobs in one statement (intake queues two per letter). */
export async function enqueueJobs(db: Db, ex: Trx, jobs: { kind: string; payload: Record<string, unknown>; runAt?: Date }[]): Promise<void> {
  if (jobs.length === 0) return;
  const now = db.dialect.time(new Date());
  await insertRows(
    db,
    ex,
    'jobs',
    jobs.map((j) => ({
      id: uuidv7(),
      kind: j.kind,
      payload: db.dialect.json(j.payload),
      run_at: j.runAt ? db.dialect.time(j.runAt) : now,
      attempts: 0,
      max_attempts: 10,
      locked_until: null,
      done_at: null,
      last_error: null,
      created_at: now,
    })),
  );
}

/**
 * Claims up to `limit` due jobs for `lockMs`, in one transaction: on
 * PostgreSQL the rows are locked while it runs and other nodes skip them, so
 * a job is claimed by one node; SQLite's write transaction is alone anyway.
 */
export async function claimJobs(db: Db, now: Date, limit: number, lockMs: number): Promise<Job[]> {
  const m = db.dialect;
  return db.writes.run(async (trx) => {
    const due = await m
      .claimRows(
        trx
          .selectFrom('jobs')
          .selectAll()
          .where('done_at', 'is', null)
          .where('run_at', '<=', m.time(now))
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', m.time(now))]))
          .orderBy('run_at')
          .limit(limit),
      )
      .execute();
    if (!due.length) return [];
    await trx
      .updateTable('jobs')
      .set((eb) => ({ locked_until: m.time(new Date(now.getTime() + lockMs)), attempts: eb('attempts', '+', 1) }))
      .where(
        'id',
        'in',
        due.map((r) => r.id),
      )
      .execute();
    return due.map((r) => ({ id: r.id, kind: r.kind, payload: m.readJson(r.payload, {}), attempts: m.readInt(r.attempts) + 1, maxAttempts: m.readInt(r.max_attempts), runAt: m.readTime(r.run_at) }));
  });
}

/** Marks jobs done, in one transaction. */
export async function completeJobs(db: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db.writes.run((trx) => trx.updateTable('jobs').set({ done_at: db.dialect.time(new Date()), locked_until: null, last_error: null }).where('id', 'in', ids).execute());
}

/** Schedules a retry, or gives up (done with the error kept) after the last attempt. */
export async function failJob(db: Db, job: Job, error: string, retryAt: Date): Promise<void> {
  const giveUp = job.attempts >= job.maxAttempts;
  await db.writes.run((trx) => trx
    .updateTable('jobs')
    .set({
      last_error: error.slice(0, 2000),
      locked_until: null,
      run_at: db.dialect.time(retryAt),
      done_at: giveUp ? db.dialect.time(new Date()) : null,
    })
    .where('id', '=', job.id)
    .execute());
}
