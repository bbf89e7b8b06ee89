// Mail in: every message received (SMTP or a provider's webhook) is kept here,
// raw bytes compressed, before the sender hears "250"/"202". Letters point
// back to their message; the others (auto-replies, bounces, list mail, spam,
// quarantined input) live only here, in the system tray.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = dialect.columns;

  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // msg:<sender>|<Message-ID>, or sha:<sha256> without a Message-ID: a redelivery finds its first copy.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('received_at', t.time, (c) => c.notNull())
    .addColumn('mail_from', 'text')
    .addColumn('rcpt_to', t.json, (c) => c.notNull())
    .addColumn('remote_ip', 'text')
    .addColumn('helo', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('compression', 'text', (c) => c.notNull())
    .addColumn('raw', t.bytes, (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text')
    // letter | autoreply | bounce | list | spam; null while quarantined.
    .addColumn('kind', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    // received (stored, not yet processed) | letter | thread_reply | tray | quarantined
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quarantine_reason', 'text')
    .addColumn('spf', 'text')
    .addColumn('dkim', 'text')
    .addColumn('dmarc', 'text')
    .addColumn('auth', t.json, (c) => c.notNull())
    .addColumn('spam_score', t.real)
    .addColumn('attachments', t.json, (c) => c.notNull())
    .addColumn('warnings', t.json, (c) => c.notNull())
    .addColumn('letter_id', 'text', (c) => c.references('letters.id').onDelete('set null'))
    // What re-processing changed, oldest first.
    .addColumn('history', t.json, (c) => c.notNull())
    .addColumn('processed_at', t.time)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbound_status').on('inbound_messages').columns(['status', 'id']).execute();
  await db.schema.createIndex('inbound_kind').on('inbound_messages').columns(['kind', 'id']).execute();
  await db.schema.createIndex('inbound_letter').on('inbound_messages').column('letter_id').execute();
  await db.schema.createIndex('inbound_received').on('inbound_messages').column('received_at').execute();
}
