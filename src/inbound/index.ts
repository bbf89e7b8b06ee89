// Mail in: the pipeline, and what the background job runs to finish a
// message that was stored but not settled (a fault after the commit).
import type { AppContext } from '../context.ts';
import { findInbound, readInboundRaw } from '../db/repositories/inbound.ts';
import { readMail } from './options.ts';
import { decompressRaw } from './raw.ts';
import { settle } from './settle.ts';

export { receiveMail, InboundPending, type Envelope, type ReceiveResult } from './receive.ts';

/** Settles a stored message still marked `received`; a settled one is left alone. */
export async function finishPending(ctx: AppContext, id: string): Promise<void> {
  const row = await findInbound(ctx.db, id);
  if (!row || row.status !== 'received') return;
  const stored = await readInboundRaw(ctx.db, id);
  if (!stored) return;
  const raw = await decompressRaw(stored.compression, stored.raw);
  await settle(ctx, row, await readMail(ctx, raw), { acknowledge: true });
}
