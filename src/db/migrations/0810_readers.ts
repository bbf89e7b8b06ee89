// Readers' side: when the writer agreed to publication (`consent_at`: the
// form asks at once; a letter by email waits for the writer to press the
// button behind the link in the acknowledgement), and the language the
// writer is answered in (the reader's own, where the publication allows it;
// null: the publication's language).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('letters').addColumn('consent_at', dialect.columns.time).execute();
  await db.schema.alterTable('letters').addColumn('language', 'text').execute();
  // Letters stored before this gave their consent when they arrived (email
  // letters were then taken as consenting by being sent).
  await sql`update letters set consent_at = created_at where consent = ${dialect.bool(true)}`.execute(db);
}
