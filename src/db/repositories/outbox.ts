// The outbox: every mail the desk sends is first a row here, written in the
// same transaction as the change that causes it, then delivered by a job.
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { OutboxTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Reader, Trx } from '../executor.ts';

export type OutboxStatus = 'pending' | 'sent' | 'kept' | 'failed';

export type OutgoingMail = {
  id: string;
  letterId: string | null;
  kind: string;
  to: { address: string; name: string | null };
  subject: string;
  text: string;
  headers: Record<string, string>;
  messageId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
};

function toMail(db: Db, r: Selectable<OutboxTable>): OutgoingMail {
  return {
    id: r.id,
    letterId: r.letter_id,
    kind: r.kind,
    to: { address: r.to_address, name: r.to_name },
    subject: r.subject,
    text: r.text,
    headers: db.dialect.readJson(r.headers, {}),
    messageId: r.message_id,
    status: r.status as OutboxStatus,
    attempts: db.dialect.readInt(r.attempts),
    nextAttemptAt: db.dialect.readTime(r.next_attempt_at),
    lastError: r.last_error,
    sentAt: db.dialect.readTimeOrNull(r.sent_at),
    createdAt: db.dialect.readTime(r.created_at),
  };
}

export type NewMail = Pick<OutgoingMail, 'letterId' | 'kind' | 'to' | 'subject' | 'text' | 'headers' | 'messageId'>;

export async function enqueueMail(db: Db, ex: Trx, m: NewMail): Promise<string> {
  const id = uuidv7();
  const now = db.dialect.time(new Date());
  await insertRows(db, ex, 'outbox', [
    {
      id,
      letter_id: m.letterId,
      kind: m.kind,
      to_address: m.to.address,
      to_name: m.to.name,
      subject: m.subject,
      text: m.text,
      headers: db.dialect.json(m.headers),
      message_id: m.messageId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      sent_at: null,
      created_at: now,
    },
  ]);
  return id;
}

export async function listOutbox(db: Db, opts: { limit: number; before?: string; letterId?: string }): Promise<OutgoingMail[]> {
  let q = db.read.selectFrom('outbox').selectAll();
  if (opts.before) q = q.where('id', '<', opts.before);
  if (opts.letterId) q = q.where('letter_id', '=', opts.letterId);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => toMail(db, r));
}

export async function findMail(db: Db, id: string): Promise<OutgoingMail | null> {
  const r = await db.read.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toMail(db, r) : null;
}

/**
 * Claims a pending mail for one delivery attempt by pushing its next attempt
 * into the future; only one node wins the claim, so a mail is never sent twice
 * by two nodes at once.
 */
export async function claimMail(db: Db, id: string, attempts: number, until: Date): Promise<boolean> {
  const r = await db.writes.run((trx) => trx
    .updateTable('outbox')
    .set({ attempts: attempts + 1, next_attempt_at: db.dialect.time(until) })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    // A mail another node claimed is not due until its claim runs out; without
    // this, a node that read the row after the claim could send it again.
    .where('next_attempt_at', '<=', db.dialect.time(new Date()))
    .executeTakeFirst());
  return Number(r.numUpdatedRows) === 1;
}

export async function markMail(db: Db, id: string, status: OutboxStatus, extra: { error?: string | null; nextAttemptAt?: Date } = {}): Promise<void> {
  const set: Record<string, unknown> = { status, last_error: extra.error ?? null };
  if (status === 'sent' || status === 'kept') set.sent_at = db.dialect.time(new Date());
  if (extra.nextAttemptAt) set.next_attempt_at = db.dialect.time(extra.nextAttemptAt);
  await db.writes.run((trx) => trx.updateTable('outbox').set(set).where('id', '=', id).execute());
}
