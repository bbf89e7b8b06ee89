// Received mail (migration 0200): the raw message, compressed, with what the
// pipeline made of it.
import type { Selectable } from 'kysely';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import type { InboundMessageTable } from '../schema.ts';
import { searchText } from './letters.ts';
import { compiledQuery } from '../compiled-query.ts';
import { insertRows } from '../insert-rows.ts';

export type InboundSource = 'smtp' | 'webhook' | 'postmark' | 'mailgun';
export type InboundKind = 'letter' | 'autoreply' | 'bounce' | 'list' | 'spam';
/** received: stored, not yet through the pipeline (a crash or fault in between; retried). */
export type InboundStatus = 'received' | 'letter' | 'thread_reply' | 'tray' | 'quarantined';

export type AuthSummary = { spf: string | null; dkim: string | null; dmarc: string | null; header: string | null; upstream: string | null; error?: string };
export type AttachmentInfo = { filename: string | null; contentType: string; size: number; sha256: string };
export type HistoryEntry = { at: string; by: string; changes: Record<string, { from: unknown; to: unknown }> };

export type InboundMessage = {
  id: string;
  dedupeKey: string;
  source: InboundSource;
  receivedAt: Date;
  mailFrom: string | null;
  rcptTo: string[];
  remoteIp: string | null;
  helo: string | null;
  size: number;
  sha256: string;
  messageId: string | null;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  kind: InboundKind | null;
  reason: string;
  status: InboundStatus;
  quarantineReason: string | null;
  auth: AuthSummary;
  spamScore: number | null;
  attachments: AttachmentInfo[];
  warnings: string[];
  letterId: string | null;
  history: HistoryEntry[];
  processedAt: Date | null;
};

export type NewInbound = Omit<InboundMessage, 'history' | 'processedAt' | 'letterId'> & { compression: string; raw: Uint8Array };

/** Columns every listing reads: everything but the raw bytes. */
const META = [
  'id', 'dedupe_key', 'source', 'received_at', 'mail_from', 'rcpt_to', 'remote_ip', 'helo', 'size', 'sha256', 'message_id', 'from_address', 'from_name', 'subject',
  'kind', 'reason', 'status', 'quarantine_reason', 'auth', 'spam_score', 'attachments', 'warnings', 'letter_id', 'history', 'processed_at',
] as const;

function toInbound(db: Db, r: Omit<Selectable<InboundMessageTable>, 'raw' | 'compression' | 'spf' | 'dkim' | 'dmarc' | 'updated_at'>): InboundMessage {
  const m = db.dialect;
  return {
    id: r.id,
    dedupeKey: r.dedupe_key,
    source: r.source as InboundSource,
    receivedAt: m.readTime(r.received_at),
    mailFrom: r.mail_from,
    rcptTo: m.readJson(r.rcpt_to, []),
    remoteIp: r.remote_ip,
    helo: r.helo,
    size: m.readInt(r.size),
    sha256: r.sha256,
    messageId: r.message_id,
    fromAddress: r.from_address,
    fromName: r.from_name,
    subject: r.subject,
    kind: r.kind as InboundKind | null,
    reason: r.reason,
    status: r.status as InboundStatus,
    quarantineReason: r.quarantine_reason,
    auth: m.readJson(r.auth, { spf: null, dkim: null, dmarc: null, header: null, upstream: null }),
    spamScore: r.spam_score == null ? null : Number(r.spam_score),
    attachments: m.readJson(r.attachments, []),
    warnings: m.readJson(r.warnings, []),
    letterId: r.letter_id,
    history: m.readJson(r.history, []),
    processedAt: m.readTimeOrNull(r.processed_at),
  };
}

/** What a message became, when it is stored already settled: as settleInbound would record it, without a second write. */
export type SettledAs = Pick<InboundOutcome, 'kind' | 'reason' | 'status' | 'quarantineReason' | 'spamScore' | 'letterId'>;

export async function insertInbound(db: Db, ex: Trx, given: NewInbound, settled?: SettledAs): Promise<void> {
  const m = db.dialect;
  const now = m.time(new Date());
  const n = settled ? { ...given, ...settled } : given;
  // Through insertRows: compiled once, and in a write that allows it (the spool's) appended at the batch's end with the others'.
  await insertRows(db, ex, 'inbound_messages', [
    {
      id: n.id,
      dedupe_key: n.dedupeKey,
      source: n.source,
      received_at: m.time(n.receivedAt),
      mail_from: n.mailFrom,
      rcpt_to: m.json(n.rcptTo),
      remote_ip: n.remoteIp,
      helo: n.helo,
      size: n.size,
      sha256: n.sha256,
      compression: n.compression,
      raw: n.raw,
      message_id: n.messageId,
      from_address: n.fromAddress,
      from_name: n.fromName,
      subject: n.subject,
      kind: n.kind,
      reason: n.reason,
      status: n.status,
      quarantine_reason: n.quarantineReason,
      spf: n.auth.spf,
      dkim: n.auth.dkim,
      dmarc: n.auth.dmarc,
      auth: m.json(n.auth),
      spam_score: n.spamScore,
      attachments: m.json(n.attachments),
      warnings: m.json(n.warnings),
      letter_id: settled ? settled.letterId : null,
      history: m.json([]),
      processed_at: settled ? now : null,
      updated_at: now,
    },
  ]);
}

// Every received message is looked up by its key first (is it a redelivery?): compiled once.
const byDedupeKey = compiledQuery((k, key: string) => k.selectFrom('inbound_messages').select(META).where('dedupe_key', '=', key), 1);

export async function findInboundByDedupeKey(db: Db, key: string, ex: Reader = db.read): Promise<InboundMessage | null> {
  const [r] = await byDedupeKey(db, ex, key);
  return r ? toInbound(db, r) : null;
}

export async function findInbound(db: Db, id: string, ex: Reader = db.read): Promise<InboundMessage | null> {
  const r = await ex.selectFrom('inbound_messages').select(META).where('id', '=', id).executeTakeFirst();
  return r ? toInbound(db, r) : null;
}

export async function findInboundForLetter(db: Db, letterId: string): Promise<InboundMessage | null> {
  const r = await db.read.selectFrom('inbound_messages').select(META).where('letter_id', '=', letterId).orderBy('id').executeTakeFirst();
  return r ? toInbound(db, r) : null;
}

/**
 * A message's row and its stored bytes in one read, for whatever reads the
 * mail again (the spool's reading job, a release from the tray, the tray's
 * view): the row then the bytes were two round trips a message.
 */
export async function findInboundWithRaw(db: Db, id: string): Promise<{ message: InboundMessage; stored: { compression: string; raw: Uint8Array } } | null> {
  const r = await db.read.selectFrom('inbound_messages').select([...META, 'compression', 'raw']).where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  const { compression, raw, ...meta } = r;
  return { message: toInbound(db, meta), stored: { compression, raw } };
}

export async function readInboundRaw(db: Db, id: string): Promise<{ compression: string; raw: Uint8Array } | null> {
  const r = await db.read.selectFrom('inbound_messages').select(['compression', 'raw']).where('id', '=', id).executeTakeFirst();
  return r ? { compression: r.compression, raw: r.raw } : null;
}

export type InboundOutcome = {
  kind: InboundKind | null;
  reason: string;
  status: InboundStatus;
  quarantineReason: string | null;
  spamScore: number | null;
  letterId: string | null;
  attachments?: AttachmentInfo[];
  warnings?: string[];
  messageId?: string | null;
  fromAddress?: string | null;
  fromName?: string | null;
  subject?: string | null;
  /** SPF/DKIM/DMARC, for a message stored before it was read (the SMTP spool). */
  auth?: AuthSummary;
  /** The raw message stored anew, compressed, when it was stored as it came (the SMTP spool). */
  stored?: { compression: string; bytes: Uint8Array };
  history?: HistoryEntry[];
};

/** What reading a message says of it: a row stored before its message was read (the SMTP spool) gets them when it is settled. */
export type ReadFields = Required<Pick<InboundOutcome, 'messageId' | 'fromAddress' | 'fromName' | 'subject' | 'attachments' | 'warnings' | 'auth'>> & Pick<InboundOutcome, 'stored'>;

/** The code of the error settleInbound throws when the message is no longer as its caller read it: another path settled it first. */
const SETTLED_MEANWHILE = 'inbound_settled_meanwhile';

/** Whether `err` is settleInbound's: the message was settled by another path meanwhile. */
export function settledMeanwhile(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === SETTLED_MEANWHILE;
}

/**
 * Records what the pipeline made of a stored message. `expected`: the
 * status its caller read; when the row no longer has it (a job, a
 * redelivery and `mail reprocess` may settle the same message at once), it
 * throws an error that settledMeanwhile recognises, so that the caller's
 * transaction (a reply's event, the letter) is rolled back.
 */
export async function settleInbound(db: Db, ex: Trx, id: string, o: InboundOutcome, expected?: InboundStatus): Promise<void> {
  const m = db.dialect;
  const set: Record<string, unknown> = {
    kind: o.kind,
    reason: o.reason,
    status: o.status,
    quarantine_reason: o.quarantineReason,
    spam_score: o.spamScore,
    letter_id: o.letterId,
    processed_at: m.time(new Date()),
    updated_at: m.time(new Date()),
  };
  if (o.attachments) set.attachments = m.json(o.attachments);
  if (o.warnings) set.warnings = m.json(o.warnings);
  if (o.messageId !== undefined) set.message_id = o.messageId;
  if (o.fromAddress !== undefined) set.from_address = o.fromAddress;
  if (o.fromName !== undefined) set.from_name = o.fromName;
  if (o.subject !== undefined) set.subject = o.subject;
  if (o.auth) Object.assign(set, { spf: o.auth.spf, dkim: o.auth.dkim, dmarc: o.auth.dmarc, auth: m.json(o.auth) });
  if (o.stored) Object.assign(set, { compression: o.stored.compression, raw: o.stored.bytes });
  if (o.history) set.history = m.json(o.history);
  let q = ex.updateTable('inbound_messages').set(set).where('id', '=', id);
  if (expected) q = q.where('status', '=', expected);
  const r = await q.executeTakeFirst();
  if (expected && Number(r.numUpdatedRows) !== 1) throw Object.assign(new Error(`message ${id} was settled meanwhile`), { code: SETTLED_MEANWHILE });
}

export type InboundFilter = { kind?: string[]; status?: string[]; before?: string; since?: Date; limit: number; oldestFirst?: boolean; afterId?: string };

export async function listInbound(db: Db, f: InboundFilter): Promise<InboundMessage[]> {
  let q = db.read.selectFrom('inbound_messages').select(META);
  if (f.kind?.length) q = q.where('kind', 'in', f.kind);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.before) q = q.where('id', '<', f.before);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  if (f.since) q = q.where('received_at', '>=', db.dialect.time(f.since));
  const rows = await q.orderBy('id', f.oldestFirst ? 'asc' : 'desc').limit(f.limit).execute();
  return rows.map((r) => toInbound(db, r));
}

/** How many messages arrived since `since` (all without it): the total a re-processing run goes through. */
export async function countInboundSince(db: Db, since?: Date): Promise<number> {
  let q = db.read.selectFrom('inbound_messages').select((e) => e.fn.countAll().as('n'));
  if (since) q = q.where('received_at', '>=', db.dialect.time(since));
  return db.dialect.readInt((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Mail stored and not read yet (the SMTP spool's backlog): how many, counted
 * up to `cap` (`more`: past it), and when the oldest came. Both read the
 * (status, id) index only as far as they need (the oldest: 0.2 ms with 15,000
 * waiting behind 185,000 settled on PostgreSQL, where ordering the rows by id
 * for their time took 60–100 ms).
 */
export async function waitingToBeRead(db: Db, cap: number): Promise<{ count: number; more: boolean; oldestAt: Date | null }> {
  const waiting = db.read.selectFrom('inbound_messages').where('status', '=', 'received');
  const [counted, oldest] = await Promise.all([
    db.read
      .selectFrom(waiting.select('id').limit(cap + 1).as('w'))
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
    // The oldest's id from the index alone, then its row: asked for its time directly, PostgreSQL may walk the primary key past every settled message.
    db.read
      .selectFrom('inbound_messages')
      .select('received_at')
      .where('id', '=', (eb) => eb.selectFrom('inbound_messages').select('id').where('status', '=', 'received').orderBy('id').limit(1))
      .executeTakeFirst(),
  ]);
  const n = db.dialect.readInt(counted.n);
  return { count: Math.min(n, cap), more: n > cap, oldestAt: oldest ? db.dialect.readTime(oldest.received_at) : null };
}

export async function countInboundByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.read.selectFrom('inbound_messages').select(['status', (e) => e.fn.countAll().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, db.dialect.readInt(r.n)]));
}

export async function appendInboundHistory(db: Db, ex: Trx, id: string, entry: HistoryEntry): Promise<void> {
  const r = await ex.selectFrom('inbound_messages').select('history').where('id', '=', id).executeTakeFirst();
  const history = db.dialect.readJson<HistoryEntry[]>(r?.history, []);
  history.push(entry);
  await ex.updateTable('inbound_messages').set({ history: db.dialect.json(history), updated_at: db.dialect.time(new Date()) }).where('id', '=', id).execute();
}

/** Re-processing: a letter nobody has touched gets the newly extracted text (and its search entry). */
export async function replaceLetterText(db: Db, ex: Trx, l: { id: string; name: string; town: string | null; subject: string | null; body: string; original: string; wordCount: number }): Promise<void> {
  await ex.updateTable('letters').set({ body: l.body, original: l.original, word_count: l.wordCount, updated_at: db.dialect.time(new Date()) }).where('id', '=', l.id).execute();
  await db.dialect.indexLetterText(ex, l.id, searchText(l));
}
