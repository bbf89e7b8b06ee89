// What readers think (issue 12): per article, the stored grouping of its
// letters into lines of argument (the engine's ThemeSet), what editors
// taught (letters filed under themes, stances set by hand) and the stance
// classifier learnt from them; per letter, its theme and stance as last
// estimated or as an editor set them. `revision` counts teachings, so a
// re-grouping that read older teaching knows to run again; `grouped_letters`
// is the letter count at the last grouping (the next runs when it grew by a
// fifth); `job_id` names the one re-grouping job that may be queued.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;
  await db.schema
    .createTable('article_insights')
    .addColumn('article_id', 'text', (c) => c.primaryKey())
    .addColumn('themes', t.json)
    .addColumn('taught', t.json, (c) => c.notNull())
    .addColumn('stance_model', t.json)
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('grouped_revision', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('grouped_letters', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('grouped_at', t.time)
    .addColumn('job_id', 'text')
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('letter_insights')
    .addColumn('letter_id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('theme_id', 'text')
    // The theme an editor filed the letter under, by name (it has no id until the next grouping when new).
    .addColumn('theme_name', 'text')
    .addColumn('stance', 'text')
    .addColumn('stance_confidence', t.real)
    .addColumn('theme_source', 'text', (c) => c.notNull())
    .addColumn('stance_source', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('letter_insights_article').on('letter_insights').columns(['article_id', 'theme_id']).execute();
}
