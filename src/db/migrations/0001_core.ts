// The foundation: publication, articles, writers, letters, their audit log,
// idempotency keys, API tokens, the outbox and the job queue.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;

  await db.schema
    .createTable('publication')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('letters_address', 'text', (c) => c.notNull())
    .addColumn('settings', t.json, (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('url_key', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('published_at', t.time)
    .addColumn('section', 'text')
    .addColumn('body', 'text')
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_published_at').on('articles').column('published_at').execute();

  await db.schema
    .createTable('writers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('variant_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('town', 'text')
    .addColumn('phone', 'text')
    .addColumn('postal_address', 'text')
    .addColumn('verified_at', t.time)
    .addColumn('verified_by', 'text')
    .addColumn('verified_how', 'text')
    .addColumn('erased_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('writers_variant_key').on('writers').column('variant_key').execute();

  await db.schema
    .createTable('letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.references('articles.id'))
    .addColumn('writer_id', 'text', (c) => c.notNull().references('writers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('town', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('original', 'text', (c) => c.notNull())
    .addColumn('edited_body', 'text')
    .addColumn('headline', 'text')
    .addColumn('display_name', 'text')
    .addColumn('word_count', 'integer', (c) => c.notNull())
    .addColumn('consent', t.bool, (c) => c.notNull())
    .addColumn('exclusive', t.bool, (c) => c.notNull())
    .addColumn('article_method', 'text')
    .addColumn('article_confidence', t.real)
    .addColumn('spam_score', t.real)
    .addColumn('spam_reasons', t.json, (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('flags', t.json, (c) => c.notNull())
    .addColumn('pow', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('message_id', 'text')
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('confirmed_at', t.time)
    .addColumn('assigned_to', 'text')
    .addColumn('scheduled_at', t.time)
    .addColumn('published_at', t.time)
    .addColumn('meta', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // The queue pages by id (time-ordered UUIDv7) within a status or an article.
  await db.schema.createIndex('letters_status_id').on('letters').columns(['status', 'id']).execute();
  await db.schema.createIndex('letters_article_id').on('letters').columns(['article_id', 'id']).execute();
  await db.schema.createIndex('letters_writer').on('letters').columns(['writer_id', 'created_at']).execute();
  await db.schema.createIndex('letters_campaign').on('letters').columns(['campaign_id', 'id']).execute();

  await dialect.createLetterSearch(db);

  await db.schema
    .createTable('letter_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letter_id', 'text', (c) => c.references('letters.id').onDelete('cascade'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('letter_events_letter').on('letter_events').columns(['letter_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('letter_id', 'text')
    .addColumn('response', t.json, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('last_used_at', t.time)
    .addColumn('revoked_at', t.time)
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letter_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('headers', t.json, (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.time, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_letter').on('outbox').column('letter_id').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('run_at', t.time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('locked_until', t.time)
    .addColumn('done_at', t.time)
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['done_at', 'run_at']).execute();

  await db.schema
    .createTable('pow_spent')
    .addColumn('signature', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .execute();
}
