// Webhooks an admin registered, and the log of their deliveries.
import crypto from 'node:crypto';
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { WebhookTable, WebhookDeliveryTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Reader, Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';

export type Webhook = { id: string; url: string; events: string[]; secret: string; createdAt: Date; disabledAt: Date | null };
export type WebhookDelivery = {
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  /** pending; sending (a node is at it until `sendingUntil`); delivered; failed; uncertain (its node stopped mid-delivery: not sent again). */
  status: 'pending' | 'sending' | 'delivered' | 'failed' | 'uncertain';
  sendingUntil: Date | null;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

function toHook(db: Db, r: Selectable<WebhookTable>): Webhook {
  return { id: r.id, url: r.url, events: db.dialect.readJson(r.events, []), secret: r.secret, createdAt: db.dialect.readTime(r.created_at), disabledAt: db.dialect.readTimeOrNull(r.disabled_at) };
}

function toDelivery(db: Db, r: Selectable<WebhookDeliveryTable>): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    payload: r.payload,
    status: r.status as WebhookDelivery['status'],
    sendingUntil: db.dialect.readTimeOrNull(r.sending_until),
    attempts: db.dialect.readInt(r.attempts),
    lastStatus: r.last_status == null ? null : db.dialect.readInt(r.last_status),
    lastError: r.last_error,
    deliveredAt: db.dialect.readTimeOrNull(r.delivered_at),
    createdAt: db.dialect.readTime(r.created_at),
  };
}

export async function insertWebhook(db: Db, h: { url: string; events: string[] }): Promise<Webhook> {
  const row = { id: uuidv7(), url: h.url, events: db.dialect.json(h.events), secret: `whsec_${crypto.randomBytes(24).toString('base64url')}`, created_at: db.dialect.time(new Date()), disabled_at: null };
  await db.writes.run((trx) => trx.insertInto('webhooks').values(row).execute());
  return toHook(db, row);
}

// Intake asks on every letter.
const enabled = compiledQuery((k) => k.selectFrom('webhooks').selectAll().where('disabled_at', 'is', null).orderBy('id'), 0);

export async function listWebhooks(db: Db, ex: Reader = db.read): Promise<Webhook[]> {
  const rows = await enabled(db, ex);
  return rows.map((r) => toHook(db, r));
}

export async function findWebhook(db: Db, id: string): Promise<Webhook | null> {
  const r = await db.read.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toHook(db, r) : null;
}

export async function disableWebhook(db: Db, id: string): Promise<boolean> {
  const r = await db.writes.run((trx) => trx.updateTable('webhooks').set({ disabled_at: db.dialect.time(new Date()) }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst());
  return Number(r.numUpdatedRows) === 1;
}

export async function insertDelivery(db: Db, ex: Trx, d: { webhookId: string; event: string; payload: string }): Promise<string> {
  const id = uuidv7();
  await insertRows(db, ex, 'webhook_deliveries', [{ id, webhook_id: d.webhookId, event: d.event, payload: d.payload, status: 'pending', attempts: 0, last_status: null, last_error: null, delivered_at: null, sending_until: null, created_at: db.dialect.time(new Date()) }]);
  return id;
}

export async function findDelivery(db: Db, id: string): Promise<WebhookDelivery | null> {
  const r = await db.read.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDelivery(db, r) : null;
}

export async function recordAttempt(db: Db, id: string, a: { status: WebhookDelivery['status']; httpStatus: number | null; error: string | null }): Promise<void> {
  await db.writes.run((trx) => trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: a.status,
      attempts: eb('attempts', '+', 1),
      last_status: a.httpStatus,
      last_error: a.error?.slice(0, 1000) ?? null,
      delivered_at: a.status === 'delivered' ? db.dialect.time(new Date()) : null,
      sending_until: null,
    }))
    .where('id', '=', id)
    .execute());
}

/** Claims a pending delivery for one attempt, committed before the receiver is called (see outbox's claimMail). */
export async function claimDelivery(db: Db, id: string, lease: Date): Promise<boolean> {
  const r = await db.writes.run((trx) => trx.updateTable('webhook_deliveries').set({ status: 'sending', sending_until: db.dialect.time(lease) }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst());
  return Number(r.numUpdatedRows) === 1;
}

/** A delivery whose node's lease ran out with no outcome: uncertain (true when this call decided it). */
export async function markDeliveryUncertain(db: Db, id: string, now = new Date()): Promise<boolean> {
  const r = await db.writes.run((trx) => trx
    .updateTable('webhook_deliveries')
    .set({ status: 'uncertain', sending_until: null, last_error: 'the node delivering it stopped before the receiver answered; not sent again' })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('sending_until', '<', db.dialect.time(now))
    .executeTakeFirst());
  return Number(r.numUpdatedRows) === 1;
}

export async function listDeliveries(db: Db, webhookId: string, opts: { limit: number; before?: string }): Promise<WebhookDelivery[]> {
  let q = db.read.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (opts.before) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => toDelivery(db, r));
}
