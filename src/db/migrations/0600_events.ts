// The transactional outbox: every letter event is queued in the transaction
// that records it, and the event processors (src/processors) take it from
// there: mail to the writer, webhooks, screening. A queued event is deleted
// once every processor that handles it has run; `done` lists those that
// already have, so a retry runs only the rest.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;
  await db.schema
    .createTable('event_queue')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('letter_events.id').onDelete('cascade'))
    .addColumn('run_at', t.time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', t.json, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('failed_at', t.time)
    .execute();
  await db.schema.createIndex('event_queue_due').on('event_queue').columns(['failed_at', 'run_at']).execute();

  // Letters stored before this migration were acknowledged (and their
  // webhooks queued) by intake itself; only their screening job may still be
  // waiting. Such a job becomes its letter's queued `received` event, with
  // the processors that intake already did marked done.
  const pending = await db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', 'screen_letter').where('done_at', 'is', null).execute();
  const now = dialect.time(new Date());
  for (const job of pending) {
    const letterId = String(dialect.readJson<{ letterId?: unknown }>(job.payload, {}).letterId ?? '');
    const received = await db.selectFrom('letter_events').select('id').where('letter_id', '=', letterId).where('action', '=', 'received').executeTakeFirst();
    if (received) {
      await db
        .insertInto('event_queue')
        .values({ event_id: received.id, run_at: now, attempts: 0, done: dialect.json(['acknowledge', 'webhooks']), last_error: null, failed_at: null })
        .execute();
    }
    await db.updateTable('jobs').set({ done_at: now, last_error: 'moved to the event queue' }).where('id', '=', job.id).execute();
  }
}
