// Screening: what each node's in-memory indexes are rebuilt from. Campaign
// records and spam lessons are append-only logs read by position (`seq`), so a
// node catches up with what other nodes wrote by reading rows after the last
// one it saw. `letter_screening` keeps what the letter row has no column for
// (article candidates for the unmatched tray, similar letters, policy details).
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;
  const seq = (table: string) =>
    db.schema.createTable(table).addColumn('seq', t.serial, (c) => (dialect.serialNeedsAutoincrement ? c.primaryKey().autoIncrement() : c.primaryKey()));

  await seq('campaign_records')
    .addColumn('letter_id', 'text', (c) => c.notNull().unique())
    .addColumn('record', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();

  // One row per decision taught (+1) or taken back (-1); the text is what was learnt.
  await seq('spam_lessons')
    .addColumn('letter_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('delta', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();

  // The label each letter currently teaches, so a reversed decision is unlearnt exactly once.
  await db.schema
    .createTable('spam_labels')
    .addColumn('letter_id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('letter_screening')
    .addColumn('letter_id', 'text', (c) => c.primaryKey())
    .addColumn('candidates', t.json, (c) => c.notNull())
    .addColumn('similar_to', t.json, (c) => c.notNull())
    .addColumn('details', t.json, (c) => c.notNull())
    .addColumn('screened_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema.createIndex('articles_updated_at').on('articles').column('updated_at').execute();
}
