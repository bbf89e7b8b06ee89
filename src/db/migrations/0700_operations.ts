// Running for real: a webhook delivery under way is marked `sending` until a
// lease runs out, so that a node that dies mid-delivery leaves it for
// reconciliation rather than a second delivery (outbox mail uses its
// `next_attempt_at` for the same lease).
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('sending_until', dialect.columns.time).execute();
}
