// The mail layer's options for this desk: its own addresses and Message-ID
// domain (loop guard, threading) and the size limit.
import type { AppContext } from '../context.ts';
import type { InboundOptions } from '../mail/index.ts';
import { domainOf } from '../outbox/compose.ts';

export function mailOptions(ctx: AppContext): InboundOptions {
  const addresses = [...new Set([ctx.publication.lettersAddress, ctx.config.lettersAddress].map((a) => a.toLowerCase()))];
  return { ownAddresses: addresses, ownDomain: domainOf(ctx.publication.lettersAddress), maxBytes: Math.max(ctx.config.smtpMaxBytes, 1024) + 64 * 1024 };
}
