// The mail layer's options for this desk: its own addresses and Message-ID
// domain (loop guard, threading), the size limit and the time limit; and the
// mail layer's reading of a message, done in the mail worker pool.
import type { AppContext } from '../context.ts';
import { resolveLimits, type InboundOptions, type InboundResult } from '../mail/index.ts';
import { runMailTask } from './mail-pool.ts';
import { authFailed, type AuthInput } from './auth.ts';
import type { AuthSummary } from '../db/repositories/inbound.ts';
import { compressRaw, sha256 } from './raw.ts';
import { domainOf } from '../outbox/compose.ts';

export function mailOptions(ctx: AppContext): InboundOptions {
  const addresses = [...new Set([ctx.publication.lettersAddress, ctx.config.lettersAddress].map((a) => a.toLowerCase()))];
  return {
    ownAddresses: addresses,
    ownDomain: domainOf(ctx.publication.lettersAddress),
    maxBytes: Math.max(ctx.config.smtpMaxBytes, 1024) + 64 * 1024,
    ...(ctx.config.mailTimeLimitMs > 0 ? { timeLimitMs: ctx.config.mailTimeLimitMs } : {}),
  };
}

/** The hard limit on each piece of work on one message (reading it, authenticating it), in ms. */
export function mailTimeLimit(ctx: AppContext): number {
  return resolveLimits(mailOptions(ctx)).timeLimitMs;
}

/** NUL cannot be stored in PostgreSQL text or jsonb; mail can carry it anywhere. Strings deep inside are cleaned (a copy is made only when there is one). */
export function withoutNul<T>(v: T): T {
  return hasNul(v) ? cleaned(v) : v;
}

function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(hasNul);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    for (const k in v) if (hasNul(k) || hasNul((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function cleaned<T>(v: T): T {
  if (typeof v === 'string') return (v.includes('\u0000') ? v.replace(/\u0000/g, '') : v) as T;
  if (Array.isArray(v)) return v.map(cleaned) as T;
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[cleaned(k)] = cleaned(x);
    return out as T;
  }
  return v;
}

/**
 * The mail layer's reading of a message, ready to store, done in the mail
 * worker pool. A message that takes longer than the hard limit (or kills its
 * worker) comes back as a quarantine with the reason; a pool that cannot take
 * the work throws MailPoolUnavailable (the sender retries). `extractAlways`:
 * the writer's text is read out of machine mail too (see InboundOptions).
 */
export async function readMail(ctx: AppContext, raw: Uint8Array, asked: Pick<InboundOptions, 'extractAlways'> = {}): Promise<InboundResult> {
  const opts = { ...mailOptions(ctx), ...asked };
  const out = await runMailTask<InboundResult, { opts: InboundOptions }>('read', raw, { opts }, resolveLimits(opts).timeLimitMs);
  return out.ok ? out.value : { ok: false, reason: `reading the message ${out.reason}` };
}

/** A message read, and its check when one was asked for and it could be read. */
export type Checked = { read: InboundResult; auth?: AuthSummary };
/** A message about to be stored: read, checked, hashed and compressed. */
export type Received = Checked & { digest: string; compressed: Uint8Array };

/**
 * readMail for a message about to be stored: one trip to a worker reads it
 * and, given `auth`, checks it (checkAuth's work, with its own time limit);
 * meanwhile this thread hashes it and compresses it (Brotli runs in libuv's
 * thread pool, not in the mail workers, which are the busier). A message
 * whose check was stopped is read again without it, and comes back with the
 * check's stopped result.
 */
export async function readToStore(ctx: AppContext, raw: Uint8Array, auth: Omit<AuthInput, 'upstream'> | null = null): Promise<Received> {
  const compressed = compressRaw(raw);
  // Settled either way, so that a failed read leaves no unhandled rejection behind.
  compressed.catch(() => {});
  const checked = await readChecked(ctx, raw, auth);
  return { ...checked, digest: sha256(raw), compressed: await compressed };
}

async function readChecked(ctx: AppContext, raw: Uint8Array, auth: Omit<AuthInput, 'upstream'> | null): Promise<Checked> {
  const opts = mailOptions(ctx);
  const out = await runMailTask<Checked, { opts: InboundOptions; auth: Omit<AuthInput, 'upstream'> | null }>('receive', raw, { opts, auth }, resolveLimits(opts).timeLimitMs);
  if (out.ok) return out.value;
  if (out.phase === 'auth') {
    const again = await readChecked(ctx, raw, null);
    return again.read.ok ? { ...again, auth: authFailed(again.read.authResultsHeader ?? null, out.reason) } : again;
  }
  return { read: { ok: false, reason: `reading the message ${out.reason}` } };
}
