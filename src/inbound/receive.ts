// receiveMail: the one way mail comes in (SMTP, the raw webhook, Postmark,
// Mailgun). The raw message and what it becomes (a letter, a reply threaded
// onto a letter, a tray item, a quarantined one) are committed together, in
// one transaction; only then does the caller answer 250/202. If that fails,
// nothing of the message is stored and the caller answers 451/503 so that the
// sender retries; if the same message fails again, it is stored alone,
// quarantined with the reason (a fault in what it becomes would meet every
// retry). A row an earlier version left stored but unsettled
// (`received`) is finished by a redelivery, the `process_inbound` job or
// `letterdesk mail reprocess`. A redelivery of the same Message-ID from the
// same sender is recognised and stored once.
import { uuidv7 } from '../util/random.ts';
import { busyOf } from '../util/busy.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import {
  findInboundByDedupeKey,
  type AuthSummary,
  type InboundKind,
  type InboundMessage,
  type InboundSource,
  type InboundStatus,
  type NewInbound,
  type ReadFields,
} from '../db/repositories/inbound.ts';
import type { InboundResult } from '../mail/index.ts';
import { messageKeyOf } from '../mail/message-key.ts';
import { mailTimeLimit, readToStore, withoutNul, type Received } from './options.ts';
import { domainOf } from '../outbox/compose.ts';
import { authStopped, notChecked } from './auth.ts';
import { classifyStored, settle, type Decision } from './settle.ts';
import { storeInbound } from './store.ts';
import { runCommand } from '../writes/commands.ts';
import { COMPRESSION } from './raw.ts';
import { perDatabase } from '../db/per-database.ts';

export type Envelope = { mailFrom: string | null; rcptTo: string[]; remoteIp?: string | null; helo?: string | null };

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

/** How long a stored-but-unsettled message waits before the background job finishes it. */
const RETRY_AFTER_MS = 2 * 60_000;

export function dedupeKeyOf(parsed: InboundResult, envelope: Envelope, digest: string): string {
  if (parsed.ok && parsed.messageId?.trim()) return messageKeyOf(parsed.from.address || envelope.mailFrom || '', parsed.messageId);
  return bytesKeyOf(digest);
}

/** The key of a message known by its bytes alone (no Message-ID). */
export const bytesKeyOf = (digest: string) => `sha:${digest}`;

function rowOutcome(row: InboundMessage, duplicate: boolean): ReceiveResult {
  return { id: row.id, kind: row.kind, status: row.status, letterId: row.letterId, reason: row.reason, duplicate };
}

/** A message read, checked and decided, before anything of it is stored. */
export type Understood = Received & { parsed: InboundResult; auth: AuthSummary; decided: Decision; dedupeKey: string };

/**
 * Reads a message (in the mail worker pool, with SPF/DKIM/DMARC for its
 * envelope, each part within its hard time limit), hashes and compresses it,
 * and decides what it is. `parsed` is the reading the decision used: a
 * message whose check was stopped at the time limit is quarantined, and not
 * read further.
 */
export async function understand(ctx: AppContext, raw: Uint8Array, envelope: Envelope): Promise<Understood> {
  const received = await readToStore(ctx, raw, {
    ip: envelope.remoteIp ?? null,
    helo: envelope.helo ?? null,
    sender: envelope.mailFrom,
    mta: domainOf(ctx.publication.lettersAddress),
    dns: ctx.config.mailDns,
    timeLimitMs: mailTimeLimit(ctx),
  });
  const { read, auth: checked } = received;
  // A quarantined message is not read further, by mailauth either.
  const auth = read.ok && checked ? checked : notChecked(read.ok ? 'not checked' : read.reason);
  const stopped = authStopped(auth);
  const parsed: InboundResult = stopped ? { ok: false, reason: stopped } : read;
  const decided = await classifyStored(ctx, { auth, mailFrom: envelope.mailFrom }, parsed);
  return { ...received, parsed, auth, decided, dedupeKey: dedupeKeyOf(read, envelope, received.digest) };
}

/** What reading a message says of it, for its stored row. */
export function readFields(parsed: InboundResult, auth: AuthSummary): ReadFields {
  return {
    messageId: parsed.ok ? parsed.messageId : null,
    fromAddress: parsed.ok ? parsed.from.address || null : null,
    fromName: parsed.ok ? parsed.from.name || null : null,
    subject: parsed.ok ? parsed.subject.slice(0, 1000) : null,
    attachments: parsed.ok ? parsed.attachments : [],
    warnings: parsed.ok ? parsed.warnings : [],
    auth,
  };
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
    // Stored before, not settled yet (settling failed, or the job has not run): settled now.
    try {
      const outcome = await settle(ctx, earlier, parsed, { acknowledge: true, decided, read: readFields(parsed, auth), dedupeKey });
      return { ...outcome, duplicate: true };
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

/** A message that could not become what it was decided to be, or not be read at all (`decided` null), for `err` again and again: quarantined, saying why. */
export function heldBack(decided: Decision | null, err: unknown): Decision {
  const why = (err as Error)?.message ?? String(err);
  const reason = (decided ? `could not be stored as a ${decided.kind ?? 'message'}: ${why}` : `could not be read: ${why}`).slice(0, 500);
  return { kind: decided?.kind ?? null, status: 'quarantined', reason, spamScore: decided?.spamScore ?? null, quarantineReason: reason };
}

/** Stores a message whose outcome is final (tray, quarantine): its row alone, settled, in one commit. */
async function storeSettled(ctx: AppContext, message: NewInbound, final: Decision): Promise<ReceiveResult> {
  await runCommand(ctx, storeInbound, { message, final, retryAt: new Date(Date.now() + RETRY_AFTER_MS) });
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

/** A received message's row as far as its bytes and envelope say, before anything is read out of it. */
export function messageRow(
  envelope: Envelope,
  source: InboundSource,
  bytes: { size: number; digest: string; dedupeKey: string; compression: string; stored: Uint8Array },
): Pick<NewInbound, 'id' | 'dedupeKey' | 'source' | 'receivedAt' | 'mailFrom' | 'rcptTo' | 'remoteIp' | 'helo' | 'size' | 'sha256' | 'compression' | 'raw'> {
  return {
    id: uuidv7(),
    dedupeKey: bytes.dedupeKey,
    source,
    receivedAt: new Date(),
    mailFrom: envelope.mailFrom,
    rcptTo: envelope.rcptTo,
    remoteIp: envelope.remoteIp ?? null,
    helo: envelope.helo ?? null,
    size: bytes.size,
    sha256: bytes.digest,
    compression: bytes.compression,
    raw: bytes.stored,
  };
}
