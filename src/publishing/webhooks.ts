// Webhooks: `letter.received`, `letter.published`, `letter.withdrawn`. An
// event becomes one delivery row per subscribed webhook, written in the
// transaction of the change, and a job posts it. Each attempt is signed:
//   X-Letterdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// (the timestamp is also in X-Letterdesk-Timestamp). Receivers should reject
// timestamps more than five minutes old. Failures are retried with backoff by
// the job runner; the delivery log records every attempt's outcome. Each
// attempt is claimed (`sending`, committed) before the receiver is called: a
// node that dies mid-delivery leaves it `uncertain`, never delivered twice.
import crypto from 'node:crypto';
import { uuidv7 } from '../util/random.ts';
import type { AppContext } from '../context.ts';
import type { Round } from '../db/round.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { claimDelivery, findDelivery, findWebhook, insertDelivery, markDeliveryUncertain, recordAttempt } from '../db/repositories/webhooks.ts';

export const WEBHOOK_EVENTS = ['letter.received', 'letter.published', 'letter.withdrawn'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
/** Longer than an attempt can take: a live node always records its outcome first. */
const LEASE_MS = TIMEOUT_MS + 60_000;

export async function emitWebhook(ctx: AppContext, trx: Trx, round: Pick<Round, 'webhooks'>, event: WebhookEvent, data: Record<string, unknown>): Promise<void> {
  const hooks = (await round.webhooks()).filter((h) => h.events.includes(event));
  if (!hooks.length) return;
  const payload = JSON.stringify({ id: uuidv7(), event, createdAt: new Date().toISOString(), data });
  for (const h of hooks) {
    const deliveryId = await insertDelivery(ctx.db, trx, { webhookId: h.id, event, payload });
    await enqueueJob(ctx.db, trx, 'deliver_webhook', { deliveryId }, new Date(), MAX_ATTEMPTS);
  }
}

export function signPayload(secret: string, timestamp: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** For receivers (and tests): checks a signature header against the body. */
export function verifySignature(secret: string, header: string, body: string, toleranceS = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceS) return false;
  const expected = Buffer.from(signPayload(secret, t, body));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

export async function deliverWebhook(ctx: AppContext, deliveryId: string, lastAttempt: boolean): Promise<void> {
  const d = await findDelivery(ctx.db, deliveryId);
  if (!d) return;
  if (d.status === 'sending') {
    if (d.sendingUntil && d.sendingUntil.getTime() > Date.now()) throw new Error('another node is delivering this; its outcome is checked later');
    if (await markDeliveryUncertain(ctx.db, d.id)) {
      ctx.metrics.webhookDeliveries.inc({ outcome: 'uncertain' });
      ctx.log.warn({ delivery: d.id, event: d.event }, 'webhook delivery left uncertain: its node stopped mid-delivery; not sent again');
    }
    return;
  }
  if (d.status !== 'pending') return;
  const hook = await findWebhook(ctx.db, d.webhookId);
  if (!hook || hook.disabledAt) return recordAttempt(ctx.db, d.id, { status: 'failed', httpStatus: null, error: 'webhook removed' });
  if (!(await claimDelivery(ctx.db, d.id, new Date(Date.now() + LEASE_MS)))) return;
  const t = Math.floor(Date.now() / 1000);
  let httpStatus: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'letterdesk-webhooks/1',
        'x-letterdesk-event': d.event,
        'x-letterdesk-delivery': d.id,
        'x-letterdesk-timestamp': String(t),
        'x-letterdesk-signature': `t=${t},v1=${signPayload(hook.secret, t, d.payload)}`,
      },
      body: d.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    httpStatus = res.status;
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) {
      ctx.metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      return await recordAttempt(ctx.db, d.id, { status: 'delivered', httpStatus, error: null });
    }
    error = `HTTP ${res.status}`;
  } catch (err) {
    error = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
  }
  await recordAttempt(ctx.db, d.id, { status: lastAttempt ? 'failed' : 'pending', httpStatus, error });
  ctx.metrics.webhookDeliveries.inc({ outcome: lastAttempt ? 'failed' : 'retry' });
  // Throwing hands the retry (with backoff) to the job runner.
  throw new Error(`webhook delivery failed: ${error}`);
}
