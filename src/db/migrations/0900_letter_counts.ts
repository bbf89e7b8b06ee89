// The queue's counters (issue 17): letters per article, campaign and status,
// kept in step by triggers in the statement that changes a letter, so that the
// desk's tab counts read a few hundred rows instead of grouping every letter
// (PostgreSQL took over 200 ms for that at 100,000 letters, SQLite 40 ms).
// A key's count is the sum over its slots (dialect.createLetterCounters says
// what a slot is); '' stands for no article or no campaign.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('letter_counts')
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('article_key', 'text', (c) => c.notNull())
    .addColumn('campaign_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_counts_key', ['slot', 'article_key', 'campaign_key', 'status'])
    .execute();
  await sql`insert into letter_counts (slot, article_key, campaign_key, status, n)
    select 0, coalesce(article_id, ''), coalesce(campaign_id, ''), status, count(*) from letters
    group by coalesce(article_id, ''), coalesce(campaign_id, ''), status`.execute(db);
  await dialect.createLetterCounters(db);
}
