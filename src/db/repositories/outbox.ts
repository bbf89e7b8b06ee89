// The outbox: every mail the desk sends is first a row here, written in the
// same transaction as the change that causes it, then delivered by a job.
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { OutboxTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import { appendedNow } from '../batch.ts';
import { gathered } from '../../util/gathered.ts';
import { perDatabase } from '../per-database.ts';
import type { Reader, Trx } from '../executor.ts';

/**
 * pending: to send; sending: a node is at it (until `nextAttemptAt`, its
 * lease); sent; kept (no relay configured); failed (refused for good);
 * uncertain: the node sending it stopped before it could say whether the
 * relay took it, so it is not sent again unless an admin says so.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'kept' | 'failed' | 'uncertain';

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

/** Whether mail of `kind` with this subject was queued already (a digest whose subject names its period is sent once). */
export async function mailQueuedBefore(ex: Reader | Trx, kind: string, subject: string): Promise<boolean> {
  await appendedNow(ex, 'outbox');
  const r = await ex.selectFrom('outbox').select('id').where('kind', '=', kind).where('subject', '=', subject).limit(1).executeTakeFirst();
  return r !== undefined;
}

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
 * Claims a pending mail that is due for one delivery attempt and returns it
 * (null: not pending, or not due): it becomes `sending` for `leaseMs`,
 * committed before the relay is contacted. Only one node wins the claim, and
 * a node that dies mid-send leaves the mail `sending` for reconciliation
 * (markUncertain), never for a second send.
 */
export async function claimMail(db: Db, id: string, leaseMs: number): Promise<OutgoingMail | null> {
  // Checked here: in a batch of claims, a lease that makes no time would fail the others' too.
  if (!Number.isFinite(leaseMs)) throw new Error(`a mail's lease must be a number of milliseconds, not ${leaseMs}`);
  return (await mailWrites(db).claim(id, leaseMs)) ?? null;
}

/** With no relay to contact there is nothing to claim first: a pending mail that is due becomes `kept` in one step, and is returned (null: not pending, or not due). */
export async function keepMail(db: Db, id: string): Promise<OutgoingMail | null> {
  return (await mailWrites(db).keep(id, null)) ?? null;
}

type MailTake = { status: OutboxStatus; next_attempt_at?: string | Date; last_error?: null; sent_at?: string | Date };

/** The statement that takes the mails among `ids` that are pending and due, and returns them: found by their keys (see Dialect.unindexed). */
export function dueMailTake(db: Db, ex: Trx, ids: string[], set: MailTake) {
  return ex
    .updateTable('outbox')
    .set((e) => ({ ...set, attempts: e('attempts', '+', 1) }))
    .where('id', 'in', ids)
    .where(db.dialect.unindexed('status'), '=', 'pending')
    .where('next_attempt_at', '<=', db.dialect.time(new Date()))
    .returningAll();
}

/**
 * A mail's claim, keeping and "sent" is a transaction of one statement; the
 * job runner's places deliver at once, so the ones asked while another is
 * under way go together (util/gathered.ts): under a burst on PostgreSQL, a
 * transaction per acknowledgement was most of the database's work.
 */
const mailWrites = perDatabase((db) => {
  const take = (trx: Trx, ids: string[], set: MailTake) => dueMailTake(db, trx, ids, set).execute();
  const byId = (rows: Selectable<OutboxTable>[]) => new Map(rows.map((r) => [r.id, toMail(db, r)]));
  return {
    claim: gathered<string, number, OutgoingMail>((calls) =>
      db.writes.run(async (trx) => {
        const taken = new Map<string, OutgoingMail>();
        // Callers ask for the same lease but for a test's; one statement for each asked.
        for (const leaseMs of new Set(calls.map((c) => c.arg))) {
          const ids = calls.filter((c) => c.arg === leaseMs).map((c) => c.key);
          for (const [id, mail] of byId(await take(trx, ids, { status: 'sending', next_attempt_at: db.dialect.time(new Date(Date.now() + leaseMs)) }))) taken.set(id, mail);
        }
        return taken;
      }),
    ),
    keep: gathered<string, null, OutgoingMail>(async (calls) => byId(await db.writes.run((trx) => take(trx, calls.map((c) => c.key), { status: 'kept', last_error: null, sent_at: db.dialect.time(new Date()) })))),
    sent: gathered<string, null, true>(async (calls) => {
      const ids = calls.map((c) => c.key);
      await db.writes.run((trx) => trx.updateTable('outbox').set({ status: 'sent', last_error: null, sent_at: db.dialect.time(new Date()) }).where('id', 'in', ids).execute());
      return new Map(ids.map((id) => [id, true as const]));
    }),
  };
});

/** A mail whose sender's lease ran out with no outcome: uncertain (true when this call decided it). */
export async function markUncertain(db: Db, id: string, now = new Date()): Promise<boolean> {
  const r = await db.writes.run((trx) => trx
    .updateTable('outbox')
    .set({ status: 'uncertain', last_error: 'the node sending it stopped before the relay answered; not sent again, in case the relay took it' })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('next_attempt_at', '<', db.dialect.time(now))
    .executeTakeFirst());
  return Number(r.numUpdatedRows) === 1;
}

/** An admin's decision to send an uncertain or failed mail again; false when it is neither. */
export async function releaseForResend(db: Db, ex: Trx, id: string): Promise<boolean> {
  const r = await ex
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: db.dialect.time(new Date()), last_error: null })
    .where('id', '=', id)
    .where('status', 'in', ['uncertain', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The relay took the mail: `sent`, written with the others marked meanwhile. */
export async function markMailSent(db: Db, id: string): Promise<void> {
  await mailWrites(db).sent(id, null);
}

export async function markMail(db: Db, id: string, status: OutboxStatus, extra: { error?: string | null; nextAttemptAt?: Date } = {}): Promise<void> {
  const set: Record<string, unknown> = { status, last_error: extra.error ?? null };
  if (status === 'sent' || status === 'kept') set.sent_at = db.dialect.time(new Date());
  if (extra.nextAttemptAt) set.next_attempt_at = db.dialect.time(extra.nextAttemptAt);
  await db.writes.run((trx) => trx.updateTable('outbox').set(set).where('id', '=', id).execute());
}
