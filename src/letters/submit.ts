// The web door to intake, shared by the HTML form and the JSON API: validate,
// find the article, check proof of work, then hand over to intakeLetter.
import crypto from 'node:crypto';
import type { AppContext } from '../context.ts';
import { findArticleHead } from '../db/repositories/articles.ts';
import { perDatabase } from '../db/per-database.ts';
import { looksLikeUrl, urlKey } from '../articles/url-key.ts';
import { intakeLetter, IntakeRefused, type IntakeResult } from './intake.ts';
import type { FieldErrors } from '../util/field-errors.ts';
import { validateSubmission, type LetterSubmission, type Say } from './submission.ts';
import { translator } from '../i18n/index.ts';
import { checkSolution } from './pow.ts';
import { Busy } from '../util/busy.ts';

export type SubmitOutcome =
  | { ok: true; result: IntakeResult }
  | { ok: false; status: number; fields: FieldErrors; code?: string; message?: string; retryAfterSeconds?: number };

/**
 * Article ids found before, per database. Articles are never deleted, so an
 * id found once is there for good: under a burst the letters name a few
 * articles, and on PostgreSQL each lookup was a round trip per letter. A URL
 * is looked up every time (an article's URL may change).
 */
const knownIdsOf = perDatabase(() => new Set<string>());
const KNOWN_IDS = 10_000;

/** The id of the article a submission names by id or URL; null when there is none. */
async function articleIdOf(ctx: AppContext, ref: string): Promise<string | null> {
  if (looksLikeUrl(ref)) {
    const key = urlKey(ref);
    return key ? ((await findArticleHead(ctx.db, { urlKey: key }))?.id ?? null) : null;
  }
  const known = knownIdsOf(ctx.db);
  if (known.has(ref)) return ref;
  if (!(await findArticleHead(ctx.db, { id: ref }))) return null;
  if (known.size >= KNOWN_IDS) known.clear();
  known.add(ref);
  return ref;
}

export async function submitLetter(
  ctx: AppContext,
  input: unknown,
  opts: { source: 'form' | 'api'; idempotencyKey: string | null; powRequired: boolean; say?: Say; language?: string | null },
): Promise<SubmitOutcome> {
  const v = validateSubmission(input, opts.say);
  const fields: FieldErrors = v.ok ? {} : { ...v.fields };
  const articleRef = typeof (input as { article?: unknown })?.article === 'string' ? ((input as { article: string }).article) : null;
  let article: string | null = null;
  if (articleRef && !fields.article) {
    article = await articleIdOf(ctx, articleRef);
    if (!article) fields.article = (opts.say ?? ((k) => translator('en').t(k)))('error.articleUnknown');
  }
  if (!v.ok || !article || Object.keys(fields).length) return { ok: false, status: 422, fields };
  const value = v.value;

  let pow: 'verified' | 'missing' | 'off' = 'off';
  if (ctx.config.pow) {
    if (!value.altcha) {
      if (opts.powRequired) return { ok: false, status: 422, fields: { altcha: 'Solve the anti-spam challenge (GET /api/v1/pow/challenge) and send its solution as "altcha".' } };
      pow = 'missing';
    } else {
      const check = await checkSolution(ctx, value.altcha);
      if (!check.ok) {
        if (opts.powRequired) return { ok: false, status: 422, fields: { altcha: check.reason } };
        pow = 'missing';
      } else pow = 'verified';
    }
  }

  try {
    const result = await intakeLetter(ctx, {
      source: opts.source,
      article: { id: article, method: 'form', confidence: 1 },
      writer: { name: value.name, email: value.email, town: value.town },
      subject: null,
      body: value.body,
      consent: value.consent,
      language: opts.language ?? null,
      exclusive: value.exclusive ?? false,
      pow,
      dedupeKey: opts.idempotencyKey ? `idem:${opts.idempotencyKey}` : null,
      idempotency: opts.idempotencyKey ? { key: opts.idempotencyKey, requestHash: requestHash(value, article) } : undefined,
      meta: value.nameDisplay ? { nameDisplay: value.nameDisplay } : {},
      actor: 'writer',
    });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof IntakeRefused) return { ok: false, status: err.status, fields: {}, code: err.code, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
    // Shed: the desk is past what it can store now; nothing was stored, and the writer is told when to send it again.
    if (err instanceof Busy) return { ok: false, status: 503, fields: {}, code: 'busy', message: err.message, retryAfterSeconds: err.retryAfterSeconds };
    throw err;
  }
}

/** What makes two submissions "the same request" for an idempotency key. */
function requestHash(v: LetterSubmission, articleId: string): string {
  const canonical = JSON.stringify([articleId, v.name, v.email.toLowerCase(), v.town, v.body, v.exclusive ?? false, v.nameDisplay ?? 'full']);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}
