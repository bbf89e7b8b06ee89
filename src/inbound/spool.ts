// The SMTP door is a spool, as a mail server's queue is: a message is
// answered 250 once its raw bytes and envelope are committed, and read
// afterwards by the `process_inbound` job queued in the same commit (due at
// once). Reading a message (parsing, SPF/DKIM/DMARC, screening at the door)
// costs ten times what taking it over SMTP does, so the sending server is
// not kept waiting for it, a hostile message cannot hold a session for the
// reading's time limit, and a burst is taken at the door's pace and read at
// the desk's (in the job runner's places, beside the other jobs).
//
// Nothing is answered on what a message will become: mail that is not a
// letter goes to the tray and unreadable mail to quarantine, with the
// reason, as when it is read before it is stored (the webhooks' door,
// receive.ts). A redelivery (the same sender and Message-ID, read from the
// header block alone; the same bytes when there is no Message-ID) is stored
// once, and intake keeps a letter once by the key reading the message gives.
import type { AppContext } from '../context.ts';
import { findInboundByDedupeKey, findInboundWithRaw, settledMeanwhile, settleInbound, type InboundSource, type ReadFields } from '../db/repositories/inbound.ts';
import { headerMessageKey } from '../mail/message-key.ts';
import { busyOf } from '../util/busy.ts';
import { runCommand } from '../writes/commands.ts';
import { notChecked } from './auth.ts';
import { withoutNul } from './options.ts';
import { COMPRESSION, decompressRaw, sha256, UNCOMPRESSED } from './raw.ts';
import { settle, type Settled } from './settle.ts';
import { READING_ATTEMPTS, storeInbound } from './store.ts';
import { bytesKeyOf, heldBack, messageRow, readFields, understand, type Envelope, type Understood } from './understand.ts';

/** What a spooled message's row says until it is read. */
export const WAITING = 'stored; waiting to be read';

export type Spooled = { id: string; duplicate: boolean };

/** Stores a message unread, with its job to read it; resolves once that is durable. */
export async function spoolMail(ctx: AppContext, raw: Uint8Array, given: Envelope, source: InboundSource): Promise<Spooled> {
  const envelope = withoutNul(given);
  const digest = sha256(raw);
  // Known by its sender and Message-ID as reading it would know it (a redelivery is stored once), else by its bytes.
  const dedupeKey = headerMessageKey(raw, envelope.mailFrom) ?? bytesKeyOf(digest);
  // Stored as it came: compressing it here took a tenth of the door's thread; it is compressed when it is read.
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
    await runCommand(ctx, storeInbound, { message, final: null, readAt: row.receivedAt });
    return { id: row.id, duplicate: false };
  } catch (err) {
    // Stored before (a redelivery): that row stands for both. Our own row found means a commit
    // not known to be durable (a failed log sync): the sender is told to retry, and then finds it.
    const earlier = await findInboundByDedupeKey(ctx.db, row.dedupeKey).catch(() => null);
    if (earlier && earlier.id !== row.id) return { id: earlier.id, duplicate: true };
    throw err;
  }
}

export type FinishOptions = {
  /** The job's attempt (1 for its first), when the job runs it: with `last`, it decides whether a failure quarantines the message (`quarantines`). Without it a failure is only thrown. */
  attempt?: number;
  /** The job's last attempt (a job an earlier version queued with fewer attempts than READING_ATTEMPTS.most): any failure quarantines. */
  last?: boolean;
};

/** Mail younger than this is acknowledged when it becomes a letter; older mail (read late, or re-processed) is not answered any more. */
export const ACK_WINDOW_MS = 3 * 86400_000;

/** Whether the job's failure `err` at `attempt` quarantines its message: its own fault from the tenth attempt, any fault at the last or after a month. */
export function quarantines(err: unknown, opts: FinishOptions): boolean {
  const attempt = opts.attempt ?? 0;
  if (opts.last || attempt >= READING_ATTEMPTS.anyFaultAt) return true;
  return attempt >= READING_ATTEMPTS.quarantineAt && !busyOf(err);
}

/**
 * Reads and settles a stored message still marked `received` (spooled, or
 * stored by a webhook whose settling failed); a settled one is left alone,
 * also when another path (its job, a redelivery, `mail reprocess`) settles
 * it meanwhile: then it returns null. A failure, reading it or storing what
 * it is, is thrown for the job to try again, unless it `quarantines` the
 * message, with the reason, for an operator to see and reprocess: a
 * message is never left unread.
 */
export async function finishPending(ctx: AppContext, id: string, opts: FinishOptions = {}): Promise<Settled | null> {
  const found = await findInboundWithRaw(ctx.db, id);
  if (!found || found.message.status !== 'received') return null;
  const { message: row, stored } = found;
  const envelope: Envelope = { mailFrom: row.mailFrom, rcptTo: row.rcptTo, remoteIp: row.remoteIp, helo: row.helo };
  const acknowledge = Date.now() - row.receivedAt.getTime() < ACK_WINDOW_MS;
  let understood: (Understood & { fields: ReadFields }) | null = null;
  try {
    const u = await understand(ctx, await decompressRaw(stored.compression, stored.raw), envelope);
    const fields = { ...readFields(u.parsed, u.auth), ...(stored.compression === UNCOMPRESSED ? { stored: { compression: COMPRESSION, bytes: u.compressed } } : {}) };
    understood = { ...u, fields };
    return await settle(ctx, row, u.parsed, { acknowledge, decided: u.decided, read: fields, dedupeKey: u.dedupeKey });
  } catch (err) {
    if (settledMeanwhile(err)) return null;
    if (!quarantines(err, opts)) throw err;
    const kept = { ...heldBack(understood?.decided ?? null, err), letterId: null };
    try {
      await ctx.db.writes.run((trx) => settleInbound(ctx.db, trx, id, { ...understood?.fields, ...kept }, 'received'));
    } catch (e) {
      if (settledMeanwhile(e)) return null;
      throw e;
    }
    ctx.log.error({ inbound: id, error: kept.reason }, 'a received message could not be read or stored as what it is; quarantined');
    return { id, ...kept };
  }
}
