// receiveMail: the one way mail comes in (SMTP, the raw webhook, Postmark,
// Mailgun). The raw message is committed first; only then does the caller
// answer 250/202. What the message becomes (a letter, a reply threaded onto a
// letter, a tray item, a quarantined one) is settled right after; if that
// step fails the stored row stays `received`, the caller answers 451/503 so
// the sender retries, and a redelivery (or the `process_inbound` job, or
// `letterdesk mail reprocess`) finishes it. A redelivery of the same
// Message-ID from the same sender is recognised and stored once.
import { uuidv7 } from '../util/random.ts';
import type { AppContext } from '../context.ts';
import {
  findInboundByDedupeKey,
  type AuthSummary,
  type InboundKind,
  type InboundMessage,
  type InboundSource,
  type InboundStatus,
} from '../db/repositories/inbound.ts';
import type { InboundResult } from '../mail/index.ts';
import { mailTimeLimit, readMail, withoutNul } from './options.ts';
import { domainOf } from '../outbox/compose.ts';
import { authStopped, checkAuth, notChecked } from './auth.ts';
import { classifyStored, settle, type Decision } from './settle.ts';
import { storeInbound } from './store.ts';
import { runCommand } from '../writes/commands.ts';
import { COMPRESSION, compressRaw, sha256 } from './raw.ts';

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
  if (parsed.ok && parsed.messageId) {
    const sender = (parsed.from.address || envelope.mailFrom || '').trim().toLowerCase();
    return `msg:${sender}|${parsed.messageId.trim()}`.slice(0, 1000);
  }
  return `sha:${digest}`;
}

function rowOutcome(row: InboundMessage, duplicate: boolean): ReceiveResult {
  return { id: row.id, kind: row.kind, status: row.status, letterId: row.letterId, reason: row.reason, duplicate };
}

export async function receiveMail(ctx: AppContext, raw: Uint8Array, given: Envelope, source: InboundSource): Promise<ReceiveResult> {
  const { db } = ctx;
  const envelope = withoutNul(given);
  // Parsing runs in the mail worker pool within its hard time limit; nothing is promised to the sender yet.
  const read = await readMail(ctx, raw);
  const digest = sha256(raw);
  const dedupeKey = dedupeKeyOf(read, envelope, digest);

  const earlier = await findInboundByDedupeKey(db, dedupeKey);
  if (earlier && earlier.status !== 'received') return rowOutcome(earlier, true);

  let row = earlier;
  let parsed = read;
  if (!row) {
    // A quarantined message is not read further, by mailauth either.
    const auth = read.ok
      ? await checkAuth(raw, {
          ip: envelope.remoteIp ?? null,
          helo: envelope.helo ?? null,
          sender: envelope.mailFrom,
          mta: domainOf(ctx.publication.lettersAddress),
          dns: ctx.config.mailDns,
          upstream: read.authResultsHeader ?? null,
          timeLimitMs: mailTimeLimit(ctx),
        })
      : notChecked(read.reason);
    // A check stopped at the time limit quarantines the message.
    const stopped = authStopped(auth);
    if (stopped) parsed = { ok: false, reason: stopped };
    // Tray and quarantine need nothing more than the row: stored settled, in one commit.
    const decided = await classifyStored(ctx, { auth, mailFrom: envelope.mailFrom }, parsed);
    const final = decided.status === 'tray' || decided.status === 'quarantined' ? decided : null;
    const stored = await storeRaw(ctx, raw, envelope, source, parsed, dedupeKey, digest, auth, final);
    if (stored.fresh && final) return rowOutcome(stored.row, false);
    row = stored.row;
    if (row.status !== 'received') return rowOutcome(row, true);
  }

  try {
    const outcome = await settle(ctx, row, parsed, { acknowledge: true });
    return { ...outcome, duplicate: !!earlier };
  } catch (err) {
    throw new InboundPending(row.id, err);
  }
}

async function storeRaw(
  ctx: AppContext,
  raw: Uint8Array,
  envelope: Envelope,
  source: InboundSource,
  parsed: InboundResult,
  dedupeKey: string,
  digest: string,
  auth: AuthSummary,
  final: Decision | null,
): Promise<{ row: InboundMessage; fresh: boolean }> {
  const { db } = ctx;
  const compressed = await compressRaw(raw);
  const id = uuidv7();
  try {
    await runCommand(ctx, storeInbound, {
      message: {
        id,
        dedupeKey,
        source,
        receivedAt: new Date(),
        mailFrom: envelope.mailFrom,
        rcptTo: envelope.rcptTo,
        remoteIp: envelope.remoteIp ?? null,
        helo: envelope.helo ?? null,
        size: raw.byteLength,
        sha256: digest,
        compression: COMPRESSION,
        raw: compressed,
        messageId: parsed.ok ? parsed.messageId : null,
        fromAddress: parsed.ok ? parsed.from.address || null : null,
        fromName: parsed.ok ? parsed.from.name || null : null,
        subject: parsed.ok ? parsed.subject.slice(0, 1000) : null,
        kind: final ? final.kind : parsed.ok ? parsed.kind : null,
        reason: final ? final.reason : parsed.reason,
        status: final ? final.status : 'received',
        quarantineReason: final ? final.quarantineReason : null,
        auth,
        spamScore: final ? final.spamScore : null,
        attachments: parsed.ok ? parsed.attachments : [],
        warnings: parsed.ok ? parsed.warnings : [],
      },
      final,
      retryAt: new Date(Date.now() + RETRY_AFTER_MS),
    });
  } catch (err) {
    // Two deliveries of the same message raced: the other one stored it.
    const other = await findInboundByDedupeKey(db, dedupeKey).catch(() => null);
    if (other) return { row: other, fresh: false };
    throw err;
  }
  return { row: (await findInboundByDedupeKey(db, dedupeKey))!, fresh: true };
}
