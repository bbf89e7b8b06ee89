// Two reads the background makes every round, each given an index of its
// own (issue 17), because under a burst PostgreSQL's statistics lag and it
// chose badly:
// - The event processors take due events by when they are due, then by id
//   (ids are time-ordered and a new event is due when it is written, so the
//   order is the one they had but for retries). They took them by id among
//   the due ones, an order the index on (failed_at, run_at) could not give:
//   PostgreSQL read every due event and sorted them for each round of 25
//   (16 ms with 9,000 waiting). The index holds only events not failed, so
//   that its order is the claim's (PostgreSQL does not take `failed_at is
//   null` as fixing the first column of an index over all of them).
// - Whether an article has grown enough to be grouped again is read from the
//   letter counters by article (one to a few rows a status) instead of
//   counting its letters (5 ms an article at 12,000 letters, growing).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('event_queue_due').execute();
  await db.schema.createIndex('event_queue_due').on('event_queue').columns(['run_at', 'event_id']).where(sql.ref('failed_at'), 'is', null).execute();
  await db.schema.createIndex('letter_counts_by_key').on('letter_counts').columns(['dimension', 'key']).execute();
}
