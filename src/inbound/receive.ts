// receiveMail: the webhooks' door (the raw webhook, Postmark, Mailgun; SMTP
// is a spool, spool.ts). The message is read first (understand.ts); the raw
// message and what it becomes (a letter, a reply threaded onto a letter, a
// tray item, a quarantined one) are committed together, in one transaction;
// only then does the caller answer 202, saying what it became. If that
// fails, nothing of the message is stored and the caller answers 503 so that
// the sender retries; if the same message fails again, it is stored alone,
// quarantined with the reason (a fault in what it becomes would meet every
// retry). A redelivery of the same Message-ID from the same sender is
// recognised and stored once; one the SMTP spool took and has not read yet
// is read and settled then.
import { busyOf } from '../util/busy.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { findInboundByDedupeKey, type AuthSummary, type InboundKind, type InboundMessage, type InboundSource, type InboundStatus, type NewInbound } from '../db/repositories/inbound.ts';
import type { InboundResult } from '../mail/index.ts';
import { withoutNul } from './options.ts';
import { settle, type Decision } from './settle.ts';
import { finishPending } from './spool.ts';
import { heldBack, messageRow, readFields, understand, type Envelope } from './understand.ts';
import { storeInbound } from './store.ts';
import { runCommand } from '../writes/commands.ts';
import { COMPRESSION } from './raw.ts';
import { perDatabase } from '../db/per-database.ts';

export type ReceiveResult = { id: string; kind: InboundKind | null; status: InboundStatus; letterId: string | null; reason: string; duplicate: boolean };

/** A stored message whose processing failed: the raw bytes are safe, the outcome is not settled yet. */
export class InboundPending extends Error {
  readonly id: string;
  constructor(id: string, cause: unknown) {
    super(`message ${id} is stored but not yet processed: ${(cause as Error)?.message ?? cause}`);
    this.id = id;
    this.cause = cause;
  }
}

function rowOutcome(row: InboundMessage, duplicate: boolean): ReceiveResult {
  return { id: row.id, kind: row.kind, status: row.status, letterId: row.letterId, reason: row.reason, duplicate };
}

/**
 * The webhooks' door (the raw webhook, Postmark, Mailgun): the message is
 * read before it is stored, and stored with what it becomes in one commit,
 * so that the answer can say what it became.
 */
export async function receiveMail(ctx: AppContext, raw: Uint8Array, given: Envelope, source: InboundSource): Promise<ReceiveResult> {
  const { db } = ctx;
  const envelope = withoutNul(given);
  const { read, parsed, digest, compressed, auth, decided, dedupeKey } = await understand(ctx, raw, envelope);

  const earlier = await findInboundByDedupeKey(db, dedupeKey);
  if (earlier && earlier.status !== 'received') return rowOutcome(earlier, true);

  if (earlier) {
    // Stored before, not read or settled yet (the SMTP spool took it, or settling failed): read and settled now, from its own bytes.
    try {
      const outcome = await finishPending(ctx, earlier.id);
      if (outcome) return { ...outcome, duplicate: true };
      // Settled meanwhile by its job.
      const now = await findInboundByDedupeKey(db, dedupeKey);
      return rowOutcome(now ?? earlier, true);
    } catch (err) {
      throw new InboundPending(earlier.id, err);
    }
  }

  const final = decided.status === 'tray' || decided.status === 'quarantined' ? decided : null;
  const message = newInbound(raw.byteLength, compressed, envelope, source, parsed, dedupeKey, digest, auth, final);
  try {
    // Tray and quarantine need nothing more than the row. Otherwise the message is stored with
    // what it becomes (a letter, a reply to the desk, the tray), in one commit, screened once (the
    // decision above); nothing of it is stored when that fails.
    const result = final ? await storeSettled(ctx, message, final) : { ...(await settle(ctx, storedRow(message), parsed, { acknowledge: true, decided, unstored: message })), duplicate: false };
    failuresOf(db).delete(dedupeKey);
    return result;
  } catch (err) {
    // Two deliveries of the same message raced: the other one stored it.
    const other = await findInboundByDedupeKey(db, dedupeKey).catch(() => null);
    if (other) return rowOutcome(other, true);
    // Shed, or the first failure of this message: the sender tries again later
    // (a passing fault, the database restarting, is gone by then).
    if (busyOf(err) || !failedBefore(db, dedupeKey)) throw err;
    // The same message failed again: the message itself may be what fails (a
    // fault every retry would meet). It is kept, quarantined with the reason,
    // for an operator to see and reprocess. If even that cannot be stored (the
    // database is away), the sender retries.
    const kept = heldBack(decided, err);
    const stored = await storeSettled(ctx, newInbound(raw.byteLength, compressed, envelope, source, parsed, dedupeKey, digest, auth, kept), kept).catch(() => {
      throw err;
    });
    ctx.log.error({ inbound: stored.id, error: kept.reason }, 'a received message could not be stored as what it is; quarantined');
    return stored;
  }
}

/** Stores a message whose outcome is final (tray, quarantine): its row alone, settled, in one commit. */
async function storeSettled(ctx: AppContext, message: NewInbound, final: Decision): Promise<ReceiveResult> {
  await runCommand(ctx, storeInbound, { message, final, readAt: message.receivedAt });
  return rowOutcome(storedRow(message), false);
}

// Messages whose last attempt to be stored failed on this node, per
// database, by dedupe key: a second failure in a row quarantines it.
// Bounded: the oldest are forgotten first (a message forgotten only waits
// one more retry).
const failuresOf = perDatabase(() => new Set<string>());
const FAILURES_KEPT = 1000;

/** Whether this message's last attempt here failed too; notes this failure. */
function failedBefore(db: Db, dedupeKey: string): boolean {
  const failed = failuresOf(db);
  if (failed.delete(dedupeKey)) return true;
  failed.add(dedupeKey);
  if (failed.size > FAILURES_KEPT) failed.delete(failed.values().next().value!);
  return false;
}

/** The row of a message as stored (its outcome, when final, is already in it), without reading it back. */
function storedRow(message: NewInbound): InboundMessage {
  const { raw: _raw, compression: _compression, ...meta } = message;
  return { ...meta, letterId: null, history: [], processedAt: null };
}

function newInbound(
  size: number,
  compressed: Uint8Array,
  envelope: Envelope,
  source: InboundSource,
  parsed: InboundResult,
  dedupeKey: string,
  digest: string,
  auth: AuthSummary,
  final: Decision | null,
): NewInbound {
  return {
    ...messageRow(envelope, source, { size, digest, dedupeKey, compression: COMPRESSION, stored: compressed }),
    ...readFields(parsed, auth),
    kind: final ? final.kind : parsed.ok ? parsed.kind : null,
    reason: final ? final.reason : parsed.reason,
    status: final ? final.status : 'received',
    quarantineReason: final ? final.quarantineReason : null,
    spamScore: final ? final.spamScore : null,
  };
}
