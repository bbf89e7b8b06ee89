// The SMTP door is a spool, as a mail server's queue is: a message is
// answered 250 once its raw bytes and envelope are committed, and read
// afterwards by the `process_inbound` job queued in the same commit (due at
// once). Reading a message (parsing, SPF/DKIM/DMARC, screening at the door)
// costs ten times what taking it over SMTP does, so the sending server is
// not kept waiting for it, a hostile message cannot hold a session for the
// reading's time limit, and a burst is taken at the door's pace and read at
// the desk's. Nothing is answered on what a message will become: mail that
// is not a letter goes to the tray and unreadable mail to quarantine, with
// the reason, as when it is read before it is stored (the webhooks' door,
// receive.ts). A redelivery (the same sender and Message-ID, read from the
// header block alone; the same bytes when there is no Message-ID) is stored
// once; and intake keeps a letter once by the key reading the message gives.
import type { AppContext } from '../context.ts';
import { findInbound, findInboundByDedupeKey, readInboundRaw, settleInbound, type InboundSource, type ReadFields } from '../db/repositories/inbound.ts';
import { notChecked } from './auth.ts';
import { withoutNul } from './options.ts';
import { COMPRESSION, decompressRaw, sha256, UNCOMPRESSED } from './raw.ts';
import { bytesKeyOf, heldBack, messageRow, readFields, understand, type Envelope, type Understood } from './receive.ts';
import { headerMessageKey } from '../mail/message-key.ts';
import { settle, type Settled } from './settle.ts';
import { storeInbound } from './store.ts';
import { runCommand } from '../writes/commands.ts';

/** What a spooled message's row says until it is read. */
export const WAITING = 'stored; waiting to be read';

export type Spooled = { id: string; duplicate: boolean };

/** Stores a message unread, with its job to read it; resolves once that is durable. */
export async function spoolMail(ctx: AppContext, raw: Uint8Array, given: Envelope, source: InboundSource): Promise<Spooled> {
  const envelope = withoutNul(given);
  const digest = sha256(raw);
  // Stored as it came: compressing it here took a tenth of the door's thread; it is compressed when it is read.
  // Known by its sender and Message-ID as reading it would know it (a redelivery is stored once), else by its bytes.
  const dedupeKey = headerMessageKey(raw, envelope.mailFrom) ?? bytesKeyOf(digest);
  const row = messageRow(envelope, source, { size: raw.byteLength, digest, dedupeKey, compression: UNCOMPRESSED, stored: raw });
  const message = {
    ...row,
    messageId: null,
    fromAddress: null,
    fromName: null,
    subject: null,
    attachments: [],
    warnings: [],
    auth: notChecked(WAITING),
    kind: null,
    reason: WAITING,
    status: 'received' as const,
    quarantineReason: null,
    spamScore: null,
  };
  try {
    await runCommand(ctx, storeInbound, { message, final: null, retryAt: row.receivedAt });
    return { id: row.id, duplicate: false };
  } catch (err) {
    // Stored before (a redelivery): that row stands for both.
    const earlier = await findInboundByDedupeKey(ctx.db, row.dedupeKey).catch(() => null);
    if (earlier) return { id: earlier.id, duplicate: true };
    throw err;
  }
}

/**
 * Reads and settles a stored message still marked `received` (spooled, or
 * stored by a webhook whose settling failed); a settled one is left alone.
 * A failure (reading it, or storing what it is) is thrown for the job to be
 * tried again, except on its `lastAttempt`: the message is then quarantined
 * with the reason, for an operator to see and reprocess, never left unread.
 */
export async function finishPending(ctx: AppContext, id: string, opts: { lastAttempt: boolean }): Promise<Settled | null> {
  const row = await findInbound(ctx.db, id);
  if (!row || row.status !== 'received') return null;
  const stored = await readInboundRaw(ctx.db, id);
  if (!stored) return null;
  const envelope: Envelope = { mailFrom: row.mailFrom, rcptTo: row.rcptTo, remoteIp: row.remoteIp, helo: row.helo };
  let understood: (Understood & { fields: ReadFields }) | null = null;
  try {
    const u = await understand(ctx, await decompressRaw(stored.compression, stored.raw), envelope);
    const read = { ...readFields(u.parsed, u.auth), ...(stored.compression === UNCOMPRESSED ? { stored: { compression: COMPRESSION, bytes: u.compressed } } : {}) };
    understood = { ...u, fields: read };
    return await settle(ctx, row, u.parsed, { acknowledge: true, decided: u.decided, read, dedupeKey: u.dedupeKey });
  } catch (err) {
    // Before its last attempt the job is tried again later (a passing fault, the mail workers busy).
    if (!opts.lastAttempt) throw err;
    const kept = { ...heldBack(understood?.decided ?? null, err), letterId: null };
    await ctx.db.writes.run((trx) => settleInbound(ctx.db, trx, id, { ...understood?.fields, ...kept }));
    ctx.log.error({ inbound: id, error: kept.reason }, 'a received message could not be read or stored as what it is; quarantined');
    return { id, ...kept };
  }
}
