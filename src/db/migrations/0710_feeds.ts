// Article feeds from the CMS: where to poll (an RSS, Atom or JSON feed, a
// sitemap, or WordPress's REST API), and what the last polls found. The
// status columns are what the desk's settings page and the metrics show;
// `etag` and `last_modified` make the next poll a conditional GET; `job_id`
// names the one poll job that may run for the feed (jobs/index.ts).
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;
  await db.schema
    .createTable('article_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('detected_format', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_attempt_at', t.time)
    .addColumn('last_success_at', t.time)
    .addColumn('last_error_at', t.time)
    .addColumn('last_error', 'text')
    .addColumn('last_http_status', 'integer')
    .addColumn('failures_in_row', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('articles_added', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('articles_updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
}
