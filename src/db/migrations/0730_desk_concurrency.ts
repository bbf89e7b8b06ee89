// Two editors, one letter. `letters.version` counts the desk's changes to a
// letter (every action through takeAction adds one), so that a change made
// from a stale copy can be refused instead of overwriting another editor's
// work. `letter_presence` says who has a letter open: kept in the database,
// not in memory, so that every node behind the proxy sees every editor.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;
  await db.schema.alterTable('letters').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable('letter_presence')
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('editing', t.bool, (c) => c.notNull())
    .addColumn('seen_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_presence_pk', ['letter_id', 'user_id'])
    .execute();
  await db.schema.createIndex('letter_presence_seen').on('letter_presence').column('seen_at').execute();
}
