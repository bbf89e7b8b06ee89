// The one door in. The form, the JSON API, SMTP and the mail webhook all end
// here: a letter, its writer and its `received` event are written in one
// durable transaction, or not at all. The event's processors then screen the
// letter, acknowledge it to the writer and tell the webhooks (src/processors).
import { uuidv7 } from '../util/random.ts';
import type { AppContext } from '../context.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findIdempotencyKey, saveIdempotencyKey } from '../db/repositories/idempotency.ts';
import { findLetterByDedupeKey, findLetterById, insertLetter, type Letter, type LetterSource } from '../db/repositories/letters.ts';
import { countLettersByVariantSince } from '../db/repositories/writers.ts';
import { inWords } from '../util/busy.ts';
import { insertInbound, settleInbound, type InboundStatus, type NewInbound, type ReadFields } from '../db/repositories/inbound.ts';
import { countWords } from './text-rules.ts';
import { emailKey, variantKey } from './writer-keys.ts';
import { runCommand, writeCommand } from '../writes/commands.ts';
import { allowAppendsAtBatchEnd, appendAtBatchEnd } from '../db/batch.ts';
import type { Trx } from '../db/executor.ts';

/** The article a letter is about, as the door found it (it exists: the door looked it up). */
export type ArticleRef = { id: string; method: string; confidence: number };

/** The `received` event's data: what the processors need to know of the arrival. */
export type ReceivedData = {
  source: LetterSource;
  /** The status the letter arrived with (`unconfirmed` when the writer must confirm their address). */
  status: 'unconfirmed' | 'new';
  article: string | null;
  /** False for mail that must never be answered (the desk's own mail, old mail re-processed). */
  acknowledge: boolean;
  /** The writer's message, for threading the acknowledgement onto it. */
  replyTo: { messageId: string; references: string[] } | null;
};

export type IntakeRequest = {
  source: LetterSource;
  article: ArticleRef | null;
  writer: { name: string; email: string; town: string | null };
  subject: string | null;
  body: string;
  /** The message as it arrived, when the body is an extract of it (email). */
  original?: string;
  /** The writer agreed to publication with the letter (the form and the API); a letter by email asks through a link. */
  consent: boolean;
  exclusive: boolean;
  /** The language the writer is answered in, when it is the reader's own (Accept-Language); null: the publication's. */
  language?: string | null;
  /** Proof-of-work result: verified, missing (form without JavaScript), off (turned off), none (email). */
  pow: 'verified' | 'missing' | 'off' | 'none';
  /** Same key, same letter: a Message-ID per sender, or an idempotency key. */
  dedupeKey: string | null;
  /** A client's Idempotency-Key: a retry gets the first answer; a different request with the same key is refused. */
  idempotency?: { key: string; requestHash: string };
  messageId?: string | null;
  /** The Message-ID to answer when acknowledging (email letters). */
  replyTo?: { messageId: string; references: string[] } | null;
  meta?: Record<string, unknown>;
  /** Set false for mail that must never be answered (the desk's own mail, old mail re-processed). */
  acknowledge?: boolean;
  /**
   * The received message this letter is (mail): its outcome is settled with the letter, in one commit.
   * `message`: the message itself when it is not stored yet; it is stored with the letter, in the same commit.
   * `read`: what reading it said, when it was stored before it was read (the SMTP spool); written with its outcome.
   * `expected`: its status as read (settled only while it still has it: see settleInbound).
   */
  inbound?: { id: string; reason: string; spamScore: number | null; message?: NewInbound; read?: ReadFields; expected?: InboundStatus };
  actor: string;
};

export type IntakeAnswer = { id: string; status: string };
/** What callers learn of the stored letter: little, because on the embedded database it crosses back from the writer thread. */
export type IntakeLetter = Pick<Letter, 'id' | 'status' | 'articleId' | 'createdAt'>;
export type IntakeResult = { letter: IntakeLetter; answer: IntakeAnswer; duplicate: boolean };

const intakeLetterOf = (l: Pick<Letter, 'id' | 'status' | 'articleId' | 'createdAt'>): IntakeLetter => ({ id: l.id, status: l.status, articleId: l.articleId, createdAt: l.createdAt });

export class IntakeRefused extends Error {
  readonly status: number;
  readonly code: string;
  /** For a refusal that passes (429): seconds until the letter would be taken. */
  readonly retryAfterSeconds?: number;
  constructor(status: number, code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Letters per writer (any address variant) per hour before intake refuses. */
export const WRITER_HOURLY_LIMIT = 5;

export async function intakeLetter(ctx: AppContext, req: IntakeRequest): Promise<IntakeResult> {
  const { db } = ctx;

  const earlier = await findEarlier(ctx, req);
  if (earlier) return earlier;

  if (ctx.config.rateLimit) {
    const since = new Date(Date.now() - 3600_000);
    const recent = await countLettersByVariantSince(db, variantKey(req.writer.email), since);
    if (recent.count >= WRITER_HOURLY_LIMIT) {
      // The count falls when the first of the hour's letters is an hour old.
      const seconds = Math.max(1, Math.ceil(((recent.oldest ?? new Date()).getTime() + 3600_000 - Date.now()) / 1000));
      throw new IntakeRefused(429, 'rate_limited', `This address has sent ${recent.count} letters in the last hour; you can send another ${inWords(seconds)}.`, seconds);
    }
  }

  const requireConfirmation = ctx.publication.policies.requireConfirmation && req.source !== 'email';
  const letterId = uuidv7();
  const now = new Date();

  try {
    const stored = ctx.metrics.intakeSeconds.startTimer({ door: req.source });
    const letter = await runCommand(ctx, storeLetter, { req, letterId, createdAt: now, status: requireConfirmation ? 'unconfirmed' : 'new' });
    stored();
    ctx.metrics.lettersReceived.inc({ door: req.source });
    return { letter, answer: { id: letter.id, status: letter.status }, duplicate: false };
  } catch (err) {
    // Two deliveries of the same message (or the same key) raced: the other won.
    if (ctx.db.dialect.isUniqueViolation(err)) {
      const again = await findEarlier(ctx, req);
      if (again) return again;
    }
    throw err;
  }
}

type StoreArgs = { req: IntakeRequest; letterId: string; createdAt: Date; status: 'unconfirmed' | 'new' };

/**
 * The durable part of intake, one transaction: the letter, its writer, its
 * `received` event (queued for the processors), the idempotency key, and the
 * outcome of the message it came in. A write command, so that on the embedded
 * database it runs in the writer thread.
 */
export const storeLetter = writeCommand('letters.store', async (ctx, trx, { req, letterId, createdAt, status }: StoreArgs): Promise<IntakeLetter> => {
  // Nothing here reads back its rows: they go in with the rest of the
  // batch's, a few statements in all, the letters first.
  allowAppendsAtBatchEnd(trx);
  const writer = { email: req.writer.email, emailKey: emailKey(req.writer.email), variantKey: variantKey(req.writer.email), name: req.writer.name, town: req.writer.town };
  const letter = {
    id: letterId,
    articleId: req.article?.id ?? null,
    articleMethod: req.article?.method ?? null,
    articleConfidence: req.article?.confidence ?? null,
    status,
    source: req.source,
    subject: req.subject,
    name: req.writer.name,
    town: req.writer.town,
    body: req.body,
    original: req.original ?? req.body,
    wordCount: countWords(req.body),
    consent: req.consent,
    language: req.language ?? null,
    exclusive: req.exclusive,
    pow: req.pow,
    dedupeKey: req.dedupeKey,
    messageId: req.messageId ?? null,
    flags: [],
    meta: req.meta ?? {},
    createdAt,
  };
  await insertLetter(ctx.db, trx, writer, letter);
  const received: ReceivedData = { source: req.source, status, article: req.article?.id ?? null, acknowledge: req.acknowledge !== false, replyTo: req.replyTo ?? null };
  await recordEvent(ctx.db, trx, { letterId, actor: req.actor, action: 'received', data: received });
  if (req.idempotency) {
    await saveIdempotencyKey(ctx.db, trx, req.idempotency.key, { requestHash: req.idempotency.requestHash, letterId, response: { id: letterId, status } });
  }
  // The letter and its message's outcome are committed together: no window in which a letter exists but its message still says `received`.
  if (req.inbound) {
    const settled = { kind: 'letter', status: 'letter', reason: req.inbound.reason, quarantineReason: null, spamScore: req.inbound.spamScore, letterId } as const;
    const inbound = req.inbound;
    // A message not stored yet is stored settled, one write; a stored one is settled.
    const store = (t: Trx) => (inbound.message ? insertInbound(ctx.db, t, inbound.message, settled) : settleInbound(ctx.db, t, inbound.id, { ...inbound.read, ...settled }, inbound.expected));
    // Its row refers to the letter: after the letters at the end of the batch, or now when the letter went in now.
    const later = appendAtBatchEnd(trx, 'inbound_messages', 'inbound_messages', [store], async (t, stores) => {
      for (const s of stores as ((t: Trx) => Promise<void>)[]) await s(t);
    });
    if (!later) await store(trx);
  }
  return intakeLetterOf(letter);
});

async function findEarlier(ctx: AppContext, req: IntakeRequest): Promise<IntakeResult | null> {
  const { db } = ctx;
  if (req.idempotency) {
    const stored = await findIdempotencyKey(db, req.idempotency.key);
    if (stored) {
      if (stored.requestHash !== req.idempotency.requestHash)
        throw new IntakeRefused(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different letter.');
      const letter = stored.letterId ? await findLetterById(db, stored.letterId) : null;
      if (letter) return { letter: intakeLetterOf(letter), answer: stored.response as IntakeAnswer, duplicate: true };
    }
  }
  // An idempotency key's letter is stored with its key in one transaction:
  // no stored key means no letter, so the second lookup would find nothing.
  if (req.dedupeKey && !(req.idempotency && req.dedupeKey === `idem:${req.idempotency.key}`)) {
    const letter = await findLetterByDedupeKey(db, req.dedupeKey);
    if (letter) return { letter: intakeLetterOf(letter), answer: { id: letter.id, status: letter.status }, duplicate: true };
  }
  return null;
}
