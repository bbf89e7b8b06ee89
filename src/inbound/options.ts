// The mail layer's options for this desk: its own addresses and Message-ID
// domain (loop guard, threading) and the size limit.
import type { AppContext } from '../context.ts';
import { readInbound, type InboundOptions, type InboundResult } from '../mail/index.ts';
import { domainOf } from '../outbox/compose.ts';

export function mailOptions(ctx: AppContext): InboundOptions {
  const addresses = [...new Set([ctx.publication.lettersAddress, ctx.config.lettersAddress].map((a) => a.toLowerCase()))];
  return { ownAddresses: addresses, ownDomain: domainOf(ctx.publication.lettersAddress), maxBytes: Math.max(ctx.config.smtpMaxBytes, 1024) + 64 * 1024 };
}

/** NUL cannot be stored in PostgreSQL text or jsonb; mail can carry it anywhere. Strings deep inside are cleaned. */
export function withoutNul<T>(v: T): T {
  if (typeof v === 'string') return (v.includes('\u0000') ? v.replace(/\u0000/g, '') : v) as T;
  if (Array.isArray(v)) return v.map(withoutNul) as T;
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[withoutNul(k)] = withoutNul(x);
    return out as T;
  }
  return v;
}

/** The mail layer's reading of a message, ready to store. */
export async function readMail(ctx: AppContext, raw: Uint8Array): Promise<InboundResult> {
  return withoutNul(await readInbound(raw, mailOptions(ctx)));
}
