// The queue's counters (issue 17): letters per article and status, and per
// campaign and status (a dimension each: one key of both would be a row per
// article a campaign reached),
// kept in step by triggers in the statement that changes a letter, so that the
// desk's tab counts read a few hundred rows instead of grouping every letter
// (PostgreSQL took over 200 ms for that at 100,000 letters, SQLite 40 ms).
// A key's count is the sum over its slots (dialect.createLetterCounters says
// what a slot is); article '' stands for no article.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('letter_counts')
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_counts_key', ['slot', 'dimension', 'key', 'status'])
    .execute();
  await sql`insert into letter_counts (slot, dimension, key, status, n)
    select 0, 'article', coalesce(article_id, ''), status, count(*) from letters group by coalesce(article_id, ''), status`.execute(db);
  await sql`insert into letter_counts (slot, dimension, key, status, n)
    select 0, 'campaign', campaign_id, status, count(*) from letters where campaign_id is not null group by campaign_id, status`.execute(db);
  await dialect.createLetterCounters(db);
}
