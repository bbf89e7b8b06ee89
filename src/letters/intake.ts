// The one door in. The form, the JSON API, SMTP and the mail webhook all end
// here: a letter, its writer, its audit event, the acknowledgement mail and
// its screening job are written in one durable transaction, or not at all.
import { uuidv7 } from '../util/random.ts';
import type { AppContext } from '../context.ts';
import { findArticleById } from '../db/repositories/articles.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findIdempotencyKey, saveIdempotencyKey } from '../db/repositories/idempotency.ts';
import { enqueueJobs } from '../db/repositories/jobs.ts';
import { findLetterByDedupeKey, findLetterById, insertLetter, type Letter, type LetterSource } from '../db/repositories/letters.ts';
import { upsertWriter, countLettersByVariantSince } from '../db/repositories/writers.ts';
import { enqueueMail } from '../db/repositories/outbox.ts';
import { deskHeaders, letterMessageId } from '../outbox/compose.ts';
import { acknowledgement } from '../outbox/templates.ts';
import { newLinkToken } from './links.ts';
import { countWords } from './text-rules.ts';
import type { Executor } from '../db/executor.ts';
import { emailKey, variantKey } from './writer-keys.ts';
import { defineWriteCommand } from '../writes/commands.ts';
import { allowAppendsAtBatchEnd } from '../db/batch.ts';

/** The article a letter is about; `title` given when the caller already looked it up (saves a query). */
export type ArticleRef = { id: string; method: string; confidence: number; title?: string };

export type IntakeRequest = {
  source: LetterSource;
  article: ArticleRef | null;
  writer: { name: string; email: string; town: string | null };
  subject: string | null;
  body: string;
  /** The message as it arrived, when the body is an extract of it (email). */
  original?: string;
  consent: boolean;
  exclusive: boolean;
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
  /** Set false for kinds that must never be answered (they do not reach intake today, but be explicit). */
  acknowledge?: boolean;
  actor: string;
};

/** Work other parts add to intake, run inside its transaction after the letter is stored (publishing: the `letter.received` webhook). */
export type AfterIntake = (ctx: AppContext, trx: Executor, letter: Letter) => Promise<void>;
export const afterIntake: AfterIntake[] = [];
/** Makes the withdraw link the acknowledgement carries (set by publishing; none when unset). */
export const intakeLinks: { withdraw?: (ctx: AppContext, trx: Executor, letterId: string) => Promise<string> } = {};

export type IntakeAnswer = { id: string; status: string };
/** What callers learn of the stored letter: little, because on the embedded database it crosses back from the writer thread. */
export type IntakeLetter = Pick<Letter, 'id' | 'status' | 'articleId' | 'createdAt'>;
export type IntakeResult = { letter: IntakeLetter; answer: IntakeAnswer; duplicate: boolean };

const intakeLetterOf = (l: Letter): IntakeLetter => ({ id: l.id, status: l.status, articleId: l.articleId, createdAt: l.createdAt });

export class IntakeRefused extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
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
    if (recent >= WRITER_HOURLY_LIMIT)
      throw new IntakeRefused(429, 'rate_limited', `This address has sent ${recent} letters in the last hour; please wait before sending another.`);
  }

  const requireConfirmation = ctx.publication.policies.requireConfirmation && req.source !== 'email';
  const link = requireConfirmation ? newLinkToken() : null;
  const letterId = uuidv7();
  const now = new Date();

  try {
    const letter = await storeLetter(ctx, { req, letterId, createdAt: now, status: requireConfirmation ? 'unconfirmed' : 'new', link });
    return { letter, answer: { id: letter.id, status: letter.status }, duplicate: false };
  } catch (err) {
    // Two deliveries of the same message (or the same key) raced: the other won.
    if (isUniqueViolation(err)) {
      const again = await findEarlier(ctx, req);
      if (again) return again;
    }
    throw err;
  }
}

type StoreArgs = { req: IntakeRequest; letterId: string; createdAt: Date; status: 'unconfirmed' | 'new'; link: { token: string; hash: string } | null };

/**
 * The durable part of intake, one transaction: the letter, its writer, its
 * audit event, the idempotency key, the acknowledgement and its jobs, and
 * whatever other parts hook in. A write command, so that on the embedded
 * database it runs in the writer thread.
 */
const storeLetter = defineWriteCommand('letters.store', async (ctx, trx, { req, letterId, createdAt, status, link }: StoreArgs): Promise<IntakeLetter> => {
  // Nothing here reads back its event, jobs, mail or links: on the embedded
  // database they go in with the rest of the batch's, a few statements in all.
  allowAppendsAtBatchEnd(trx);
  const article = !req.article ? null : req.article.title !== undefined ? { id: req.article.id, title: req.article.title } : await findArticleById(ctx.db, req.article.id, trx);
  const writer = await upsertWriter(ctx.db, { email: req.writer.email, emailKey: emailKey(req.writer.email), variantKey: variantKey(req.writer.email), name: req.writer.name, town: req.writer.town }, trx);
  const jobs: { kind: string; payload: Record<string, unknown> }[] = [{ kind: 'screen_letter', payload: { letterId } }];
  const letter = await insertLetter(
    ctx.db,
    {
      id: letterId,
      articleId: article?.id ?? null,
      articleMethod: article ? req.article!.method : null,
      articleConfidence: article ? req.article!.confidence : null,
      writerId: writer.id,
      status,
      source: req.source,
      subject: req.subject,
      name: req.writer.name,
      town: req.writer.town,
      body: req.body,
      original: req.original ?? req.body,
      wordCount: countWords(req.body),
      consent: req.consent,
      exclusive: req.exclusive,
      pow: req.pow,
      dedupeKey: req.dedupeKey,
      messageId: req.messageId ?? null,
      confirmTokenHash: link?.hash ?? null,
      flags: [],
      meta: req.meta ?? {},
      createdAt,
    },
    trx,
  );
  await recordEvent(ctx.db, trx, { letterId, actor: req.actor, action: 'received', data: { source: req.source, status, article: article?.id ?? null } });
  if (req.idempotency) {
    await saveIdempotencyKey(ctx.db, trx, req.idempotency.key, { requestHash: req.idempotency.requestHash, letterId, response: { id: letterId, status } });
  }
  if (req.acknowledge !== false) {
    const ack = acknowledgement({
      publicationName: ctx.publication.name,
      writerName: req.writer.name,
      articleTitle: article?.title ?? null,
      confirmUrl: link ? `${ctx.config.publicUrl}/confirm/${link.token}` : null,
      excerpt: req.body,
      withdrawUrl: intakeLinks.withdraw ? await intakeLinks.withdraw(ctx, trx, letterId) : null,
    });
    const mailId = await enqueueMail(ctx.db, trx, {
      letterId,
      kind: 'acknowledgement',
      to: { address: req.writer.email, name: req.writer.name },
      subject: ack.subject,
      text: ack.text,
      headers: deskHeaders({ inReplyTo: req.replyTo?.messageId, references: req.replyTo?.references }),
      messageId: letterMessageId(letterId, ctx.publication.lettersAddress),
    });
    jobs.push({ kind: 'deliver_mail', payload: { mailId } });
  }
  await enqueueJobs(ctx.db, trx, jobs);
  for (const hook of afterIntake) await hook(ctx, trx, letter);
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

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: number; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}
