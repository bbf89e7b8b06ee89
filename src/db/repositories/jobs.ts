// Background work kept in the database, so it survives restarts and can be
// shared by several app nodes. A job is claimed by pushing its lock forward;
// a node that dies mid-job loses the lock when it expires and another retries.
import { uuidv7 } from '../../util/random.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Executor } from '../executor.ts';

export type Job = { id: string; kind: string; payload: Record<string, unknown>; attempts: number; maxAttempts: number; runAt: Date };

export async function enqueueJob(db: Db, ex: Executor, kind: string, payload: Record<string, unknown>, runAt = new Date(), maxAttempts = 10): Promise<string> {
  const id = uuidv7();
  await ex
    .insertInto('jobs')
    .values({
      id,
      kind,
      payload: db.dialect.json(payload),
      run_at: db.dialect.time(runAt),
      attempts: 0,
      max_attempts: maxAttempts,
      locked_until: null,
      done_at: null,
      last_error: null,
      created_at: db.dialect.time(new Date()),
    })
    .execute();
  return id;
}

/** Several jobs in one statement (intake queues two per letter). */
export async function enqueueJobs(db: Db, ex: Executor, jobs: { kind: string; payload: Record<string, unknown>; runAt?: Date }[]): Promise<void> {
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

/** Claims up to `limit` due jobs for `lockMs`. */
export async function claimJobs(db: Db, now: Date, limit: number, lockMs: number): Promise<Job[]> {
  const m = db.dialect;
  const candidates = await db.k
    .selectFrom('jobs')
    .selectAll()
    .where('done_at', 'is', null)
    .where('run_at', '<=', m.time(now))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', m.time(now))]))
    .orderBy('run_at')
    .limit(limit)
    .execute();
  const claimed: Job[] = [];
  for (const r of candidates) {
    // Compare-and-set on (attempts): only one node's update matches.
    const res = await db.k
      .updateTable('jobs')
      .set({ locked_until: m.time(new Date(now.getTime() + lockMs)), attempts: m.readInt(r.attempts) + 1 })
      .where('id', '=', r.id)
      .where('attempts', '=', m.readInt(r.attempts))
      .where('done_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      claimed.push({
        id: r.id,
        kind: r.kind,
        payload: m.readJson(r.payload, {}),
        attempts: m.readInt(r.attempts) + 1,
        maxAttempts: m.readInt(r.max_attempts),
        runAt: m.readTime(r.run_at),
      });
    }
  }
  return claimed;
}

export async function completeJob(db: Db, id: string): Promise<void> {
  await db.k.updateTable('jobs').set({ done_at: db.dialect.time(new Date()), locked_until: null, last_error: null }).where('id', '=', id).execute();
}

/** Schedules a retry, or gives up (done with the error kept) after the last attempt. */
export async function failJob(db: Db, job: Job, error: string, retryAt: Date): Promise<void> {
  const giveUp = job.attempts >= job.maxAttempts;
  await db.k
    .updateTable('jobs')
    .set({
      last_error: error.slice(0, 2000),
      locked_until: null,
      run_at: db.dialect.time(retryAt),
      done_at: giveUp ? db.dialect.time(new Date()) : null,
    })
    .where('id', '=', job.id)
    .execute();
}
