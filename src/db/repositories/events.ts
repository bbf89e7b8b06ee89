// The audit log and the transactional outbox. Every change to a letter
// writes an event row in the same transaction as the change itself, and the
// same transaction queues it for the event processors (src/processors), which
// the dispatcher (src/events/dispatcher.ts) runs afterwards, each once.
import { uuidv7 } from '../../util/random.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Reader, Trx } from '../executor.ts';

export type LetterEvent = { id: string; letterId: string | null; actor: string; action: string; data: Record<string, unknown>; createdAt: Date };
export type NewEvent = { letterId: string | null; actor: string; action: string; data?: Record<string, unknown> };

/**
 * The actions some event processor handles (src/processors/index.ts; a test
 * keeps the two in step): only their events are queued for the dispatcher.
 * The others (a letter screened, edited, confirmed…) are the letter's history
 * alone: queued, they took half of every round's places and did nothing.
 */
export const PROCESSED_ACTIONS: ReadonlySet<string> = new Set(['received', 'request_approval', 'publish', 'publish_scheduled', 'decline', 'spam', 'not_spam', 'shortlist', 'assign_article', 'schedule', 'withdraw']);

/** Records an event in the letter's history and, when a processor handles its action (or `queue` says so), queues it; returns its id. */
export async function recordEvent(db: Db, ex: Trx, e: NewEvent, queue = PROCESSED_ACTIONS.has(e.action)): Promise<string> {
  const id = uuidv7();
  const now = db.dialect.time(new Date());
  await insertRows(db, ex, 'letter_events', [{ id, letter_id: e.letterId, actor: e.actor, action: e.action, data: db.dialect.json(e.data ?? {}), created_at: now }]);
  if (queue) await insertRows(db, ex, 'event_queue', [{ event_id: id, run_at: now, attempts: 0, done: '[]', last_error: null, failed_at: null }]);
  return id;
}

function toEvent(db: Db, r: { id: string; letter_id: string | null; actor: string; action: string; data: unknown; created_at: unknown }): LetterEvent {
  return { id: r.id, letterId: r.letter_id, actor: r.actor, action: r.action, data: db.dialect.readJson(r.data, {}), createdAt: db.dialect.readTime(r.created_at) };
}

export async function listEventsForLetter(db: Db, letterId: string): Promise<LetterEvent[]> {
  const rows = await db.read.selectFrom('letter_events').selectAll().where('letter_id', '=', letterId).orderBy('id').execute();
  return rows.map((r) => toEvent(db, r));
}

// --- the queue ---------------------------------------------------------------

export type QueuedEvent = LetterEvent & { attempts: number; done: string[] };

/** The statement that claims due events: in the order of the queue's index (migration 0960), so that it reads no more than it takes. */
export function dueEventsClaim(db: Db, ex: Reader | Trx, now: Date, limit: number) {
  return db.dialect.claimRows(ex.selectFrom('event_queue').select(['event_id', 'attempts', 'done']).where('failed_at', 'is', null).where('run_at', '<=', db.dialect.time(now)).orderBy('run_at').orderBy('event_id').limit(limit));
}

/**
 * Claims up to `limit` due events, longest due first (then oldest), for the transaction `trx`
 * (on PostgreSQL other nodes skip them until it ends).
 */
export async function claimQueuedEvents(db: Db, trx: Trx, now: Date, limit: number): Promise<QueuedEvent[]> {
  const claimed = await dueEventsClaim(db, trx, now, limit).execute();
  if (!claimed.length) return [];
  const rows = await trx
    .selectFrom('letter_events')
    .selectAll()
    .where(
      'id',
      'in',
      claimed.map((c) => c.event_id),
    )
    .orderBy('id')
    .execute();
  const queued = new Map(claimed.map((c) => [c.event_id, c]));
  return rows.map((r) => {
    const q = queued.get(r.id)!;
    return { ...toEvent(db, r), attempts: db.dialect.readInt(q.attempts), done: db.dialect.readJson<string[]>(q.done, []) };
  });
}

/** Events every processor has run for leave the queue. */
export async function dequeueEvents(ex: Trx, ids: string[]): Promise<void> {
  if (ids.length) await ex.deleteFrom('event_queue').where('event_id', 'in', ids).execute();
}

/** An event a processor failed on: tried again at `retryAt` (for the processors not in `done`), or given up at `failedAt`. */
export async function postponeEvent(db: Db, ex: Trx, id: string, p: { attempts: number; done: string[]; error: string; retryAt: Date | null }): Promise<void> {
  const m = db.dialect;
  await ex
    .updateTable('event_queue')
    .set({ attempts: p.attempts, done: m.json(p.done), last_error: p.error.slice(0, 2000), ...(p.retryAt ? { run_at: m.time(p.retryAt) } : { failed_at: m.time(new Date()) }) })
    .where('event_id', '=', id)
    .execute();
}
