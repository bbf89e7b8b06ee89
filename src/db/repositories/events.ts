// The audit log: every change to a letter, who made it and when, written in
// the same transaction as the change itself.
import { uuidv7 } from '../../util/random.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Executor } from '../executor.ts';

export type LetterEvent = { id: string; letterId: string | null; actor: string; action: string; data: Record<string, unknown>; createdAt: Date };

export async function recordEvent(
  db: Db,
  ex: Executor,
  e: { letterId: string | null; actor: string; action: string; data?: Record<string, unknown> },
): Promise<void> {
  await insertRows(db, ex, 'letter_events', [{ id: uuidv7(), letter_id: e.letterId, actor: e.actor, action: e.action, data: db.dialect.json(e.data ?? {}), created_at: db.dialect.time(new Date()) }]);
}

export async function listEventsForLetter(db: Db, letterId: string): Promise<LetterEvent[]> {
  const rows = await db.k.selectFrom('letter_events').selectAll().where('letter_id', '=', letterId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    letterId: r.letter_id,
    actor: r.actor,
    action: r.action,
    data: db.dialect.readJson(r.data, {}),
    createdAt: db.dialect.readTime(r.created_at),
  }));
}
