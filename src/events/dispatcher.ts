// Runs the event processors over the queued events (the transactional
// outbox). A round claims a batch of due events and, in one transaction, runs
// for each event every processor that handles its action and has not run for
// it yet; events all of whose processors ran leave the queue in the same
// transaction. A processor that fails is undone alone and tried again later
// with backoff (the others' work for that event stands), up to MAX_ATTEMPTS;
// then the event is kept as failed, with the error. So that a failure can be
// undone alone, a round in which one fails is rolled back and run again with
// a savepoint around each processor; a round where none fails needs none
// (they cost more than some processors' own work).
// Several nodes may run dispatchers over one PostgreSQL: a claimed event is
// locked until its round commits, and the others skip it.
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { claimQueuedEvents, dequeueEvents, postponeEvent, type QueuedEvent } from '../db/repositories/events.ts';
import { findLettersByIds } from '../db/repositories/letters.ts';
import { poll, type Poller } from '../util/poll.ts';
import type { EventToProcess, Processor } from './processor.ts';
import { appendingAtEnd } from '../db/batch.ts';
import { newRound, type Round } from '../db/round.ts';

export const MAX_ATTEMPTS = 10;

/**
 * What a round's processors write that waits for the round's end, where each
 * table's rows go in together (db/round.ts, db/batch.ts): rows appended or
 * replaced (a letter's screening details), letters' changes made through
 * Round.updateLetter and campaigns relabelled through Round.relabelCampaign.
 * A statement that reads or changes such rows first writes what waits
 * (appendedNow: a letter's thread of mail, its open links). Campaign records too: screening reads the log
 * once, before the round's first letter, and knows which of the round's
 * letters it recorded (screen-letter.ts).
 */
const ROUND_APPENDS: ReadonlySet<string> = new Set(['letters', 'letter_events', 'event_queue', 'jobs', 'webhook_deliveries', 'outbox', 'writer_links', 'campaign_records', 'letter_screening']);

/** How long an event waits for a processor that is not ready yet before it is looked at again. */
const NOT_READY_WAIT_MS = 1000;

function backoff(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
}

export type Dispatcher = {
  /** One round; returns how many events it took from the queue. */
  runOnce(): Promise<number>;
  /** Rounds until no event is due (failed ones wait for their retry), once every processor is ready; returns how many events they took. */
  drain(): Promise<number>;
  /** Runs rounds in the background until the returned poller is stopped. */
  start(opts?: { intervalMs?: number }): Poller;
};

export function eventDispatcher(ctx: AppContext, processors: readonly Processor[]): Dispatcher {
  const log = ctx.log.child({ component: 'events' });
  const names = new Set<string>();
  for (const p of processors) {
    if (names.has(p.name)) throw new Error(`two event processors are named "${p.name}"`);
    names.add(p.name);
  }

  async function processEvent(trx: Trx, event: QueuedEvent, letter: EventToProcess['letter'], round: Round, savepoints: boolean, waiting: ReadonlySet<Processor>): Promise<{ done: string[]; errors: string[]; waited: boolean }> {
    const done = [...event.done];
    const errors: string[] = [];
    let waited = false;
    for (const p of processors) {
      if (!p.on.includes(event.action) || done.includes(p.name)) continue;
      if (waiting.has(p)) {
        waited = true;
        continue;
      }
      if (!savepoints) {
        await p.process(ctx, trx, { ...event, letter, round });
        done.push(p.name);
        continue;
      }
      await sql`savepoint processor`.execute(trx);
      try {
        await p.process(ctx, trx, { ...event, letter, round });
        await sql`release savepoint processor`.execute(trx);
        done.push(p.name);
      } catch (err) {
        await sql`rollback to savepoint processor`.execute(trx);
        await sql`release savepoint processor`.execute(trx);
        p.onRollback?.(ctx);
        const message = (err as Error)?.message ?? String(err);
        errors.push(`${p.name}: ${message}`);
        log.warn({ event: event.id, action: event.action, processor: p.name, attempt: event.attempts + 1, error: message }, 'event processor failed');
      }
    }
    return { done, errors, waited };
  }

  /** The round inside every processor's guard. */
  const guarded = processors.reduce<(work: () => Promise<number>) => Promise<number>>(
    (inner, p) => (p.guard ? (work) => p.guard!(ctx, () => inner(work)) : inner),
    (work) => work(),
  );

  async function round(savepoints: boolean): Promise<number> {
    const ran = new Set<Processor>();
    const waiting = new Set(processors.filter((p) => p.ready && p.ready(ctx) !== true));
    try {
      return await ctx.db.writes.run((trx) => (savepoints ? roundIn(trx, true) : appendingAtEnd(trx, ROUND_APPENDS, () => roundIn(trx, false))));
    } catch (err) {
      // Nothing of the round is stored: processors that keep state in memory forget what they took in.
      for (const p of ran) p.onRollback?.(ctx);
      if (savepoints) throw err;
      // A processor failed (or the transaction did): again, each processor undone alone if it fails.
      return round(true);
    }

    async function roundIn(trx: Trx, savepoints: boolean): Promise<number> {
      const events = await claimQueuedEvents(ctx.db, trx, new Date(), ctx.db.dialect.eventsPerRound);
      if (!events.length) return 0;
      const letters = await findLettersByIds(ctx.db, [...new Set(events.flatMap((e) => (e.letterId ? [e.letterId] : [])))], trx);
      const shared = newRound(ctx.db, trx, savepoints, letters);
      const finished: string[] = [];
      for (const event of events) {
        for (const p of processors) if (p.on.includes(event.action) && !waiting.has(p)) ran.add(p);
        const { done, errors, waited } = await processEvent(trx, event, event.letterId ? (letters.get(event.letterId) ?? null) : null, shared, savepoints, waiting);
        if (!errors.length && !waited) {
          finished.push(event.id);
          continue;
        }
        if (!errors.length) {
          // A processor not ready yet: the event waits for it, no attempt counted.
          await postponeEvent(ctx.db, trx, event.id, { attempts: event.attempts, done, error: 'waiting for a processor to be ready', retryAt: new Date(Date.now() + NOT_READY_WAIT_MS) });
          continue;
        }
        const attempts = event.attempts + 1;
        const retryAt = attempts >= MAX_ATTEMPTS ? null : new Date(Date.now() + backoff(attempts));
        await postponeEvent(ctx.db, trx, event.id, { attempts, done, error: errors.join('; '), retryAt });
      }
      await dequeueEvents(trx, finished);
      return events.length;
    }
  }

  const runOnce = () => guarded(() => round(false));

  return {
    runOnce,
    async drain() {
      // Draining means every due event processed: wait for processors still getting ready.
      for (const p of processors) {
        const r = p.ready?.(ctx);
        if (r !== undefined && r !== true) await r;
      }
      let taken = 0;
      for (let n = await runOnce(); n > 0; n = await runOnce()) taken += n;
      return taken;
    },
    start: (opts = {}) => poll(runOnce, { intervalMs: opts.intervalMs ?? 200, log, failure: 'could not run the event processors' }),
  };
}
