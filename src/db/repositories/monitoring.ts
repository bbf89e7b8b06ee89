// What monitoring reads from the database: the letters queue by status, the
// background work waiting (jobs, events) and how late it is, and what gave up.
import { CompiledQuery } from 'kysely';
import type { Db } from '../connect.ts';
import { letterCounts } from './letter-counts.ts';

export type BacklogFigures = {
  lettersByStatus: Record<string, number>;
  jobs: { waiting: number; due: number; failed: number; oldestDueSeconds: number };
  events: { waiting: number; failed: number; oldestDueSeconds: number };
  outbox: Record<string, number>;
};

export async function backlogFigures(db: Db, now = new Date()): Promise<BacklogFigures> {
  const m = db.dialect;
  const t = m.time(now);
  const [statuses, jobsWaiting, jobsDue, jobsFailed, eventsWaiting, eventsDue, eventsFailed, outbox] = await Promise.all([
    // The queue's counters (migration 0900): a scrape must not count every letter.
    letterCounts(db),
    db.read.selectFrom('jobs').select((e) => e.fn.countAll().as('n')).where('done_at', 'is', null).executeTakeFirstOrThrow(),
    db.read.selectFrom('jobs').select([(e) => e.fn.countAll().as('n'), (e) => e.fn.min('run_at').as('oldest')]).where('done_at', 'is', null).where('run_at', '<=', t).executeTakeFirstOrThrow(),
    db.read.selectFrom('jobs').select((e) => e.fn.countAll().as('n')).where('done_at', 'is not', null).where('last_error', 'is not', null).executeTakeFirstOrThrow(),
    db.read.selectFrom('event_queue').select((e) => e.fn.countAll().as('n')).where('failed_at', 'is', null).executeTakeFirstOrThrow(),
    db.read.selectFrom('event_queue').select((e) => e.fn.min('run_at').as('oldest')).where('failed_at', 'is', null).where('run_at', '<=', t).executeTakeFirstOrThrow(),
    db.read.selectFrom('event_queue').select((e) => e.fn.countAll().as('n')).where('failed_at', 'is not', null).executeTakeFirstOrThrow(),
    db.read.selectFrom('outbox').select(['status', (e) => e.fn.countAll().as('n')]).groupBy('status').execute(),
  ]);
  const lag = (oldest: unknown) => (oldest == null ? 0 : Math.max(0, (now.getTime() - m.readTime(oldest).getTime()) / 1000));
  return {
    lettersByStatus: statuses.filter((c) => c.dimension === 'article').reduce<Record<string, number>>((by, c) => ((by[c.status] = (by[c.status] ?? 0) + c.n), by), {}),
    jobs: { waiting: m.readInt(jobsWaiting.n), due: m.readInt(jobsDue.n), failed: m.readInt(jobsFailed.n), oldestDueSeconds: lag(jobsDue.oldest) },
    events: { waiting: m.readInt(eventsWaiting.n), failed: m.readInt(eventsFailed.n), oldestDueSeconds: lag(eventsDue.oldest) },
    outbox: Object.fromEntries(outbox.map((r) => [r.status, m.readInt(r.n)])),
  };
}

/** Whether the database answers a trivial query within `ms`. */
export async function databaseAnswers(db: Db, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([db.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    clearTimeout(timer);
  }
}

/** Migrations this letterdesk knows that the database lacks. */
export async function missingMigrations(db: Db, known: string[]): Promise<string[]> {
  const r = await db.read.executeQuery<{ name: string }>(CompiledQuery.raw('select name from kysely_migration'));
  const applied = new Set(r.rows.map((x) => x.name));
  return known.filter((n) => !applied.has(n));
}
