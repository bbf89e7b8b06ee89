// What a received message is: read (in the mail worker pool), checked
// (SPF/DKIM/DMARC), hashed, compressed and decided (letter, reply, tray,
// quarantine), before anything of it is stored or settled. Both doors use it:
// the webhooks before they answer (receive.ts), the SMTP spool's job after
// its 250 (spool.ts).
import { uuidv7 } from '../util/random.ts';
import type { AppContext } from '../context.ts';
import type { AuthSummary, InboundSource, NewInbound, ReadFields } from '../db/repositories/inbound.ts';
import type { InboundResult } from '../mail/index.ts';
import { messageKeyOf } from '../mail/message-key.ts';
import { domainOf } from '../outbox/compose.ts';
import { authStopped, notChecked } from './auth.ts';
import { mailTimeLimit, readToStore, type Received } from './options.ts';
import { classifyStored, type Decision } from './settle.ts';

export type Envelope = { mailFrom: string | null; rcptTo: string[]; remoteIp?: string | null; helo?: string | null };

export function dedupeKeyOf(parsed: InboundResult, envelope: Envelope, digest: string): string {
  if (parsed.ok && parsed.messageId?.trim()) return messageKeyOf(parsed.from.address || envelope.mailFrom || '', parsed.messageId);
  return bytesKeyOf(digest);
}

/** The key of a message known by its bytes alone (no Message-ID). */
export const bytesKeyOf = (digest: string) => `sha:${digest}`;

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

/** A message that could not become what it was decided to be, or not be read at all (`decided` null), for `err` again and again: quarantined, saying why. */
export function heldBack(decided: Decision | null, err: unknown): Decision {
  const why = (err as Error)?.message ?? String(err);
  const reason = (decided ? `could not be stored as a ${decided.kind ?? 'message'}: ${why}` : `could not be read: ${why}`).slice(0, 500);
  return { kind: decided?.kind ?? null, status: 'quarantined', reason, spamScore: decided?.spamScore ?? null, quarantineReason: reason };
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
