// Webhooks an admin registered, and the log of their deliveries.
import crypto from 'node:crypto';
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { WebhookTable, WebhookDeliveryTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';

export type Webhook = { id: string; url: string; events: string[]; secret: string; createdAt: Date; disabledAt: Date | null };
export type WebhookDelivery = {
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
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
  await ex
    .insertInto('webhook_deliveries')
    .values({ id, webhook_id: d.webhookId, event: d.event, payload: d.payload, status: 'pending', attempts: 0, last_status: null, last_error: null, delivered_at: null, created_at: db.dialect.time(new Date()) })
    .execute();
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
    }))
    .where('id', '=', id)
    .execute());
}

export async function listDeliveries(db: Db, webhookId: string, opts: { limit: number; before?: string }): Promise<WebhookDelivery[]> {
  let q = db.read.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (opts.before) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => toDelivery(db, r));
}
