// The letters API: public submission, and the editors' queue and actions.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { listEventsForLetter } from '../../../db/repositories/events.ts';
import { findLetterById, listLetters, type Letter } from '../../../db/repositories/letters.ts';
import { findWriterById, findWritersByIds } from '../../../db/repositories/writers.ts';
import { findLetterScreenings } from '../../../db/repositories/screening.ts';
import { findLetterInsights } from '../../../db/repositories/insights.ts';
import { actionInput, takeAction } from '../../../letters/actions.ts';
import type { Actor } from '../../../letters/lifecycle.ts';
import { letterSubmission } from '../../../letters/submission.ts';
import { HttpError, validationError } from '../../errors.ts';
import { newChallenge } from '../../../letters/pow.ts';
import type { RouteTable } from '../../route.ts';
import { presentDetail, presentPageCampaign, presentSummary } from './presenter.ts';
import { articleTitles, campaignsByIds } from '../../../db/repositories/desk-queue.ts';
import { errorBody, validationFailure } from '../../schema.ts';
import { accepted, letterDetail, letterIdParams, letterList, listLettersQuery } from './schema.ts';
import { submitLetter } from '../../../letters/submit.ts';
import { keysetPage } from '../../paging.ts';
import { pageLanguage, readerSettings } from '../../../publishing/readers.ts';
import { translator } from '../../../i18n/index.ts';

const READERS = ['admin', 'editor', 'viewer'] as const;
const ACTORS = ['admin', 'editor'] as const;

export function letterRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'POST',
      url: '/api/v1/letters',
      tag: 'letters',
      summary: 'Submit a letter (public, for embeds and apps). Send an Idempotency-Key header so that a retry returns the first answer.',
      access: 'public',
      mutates: true,
      intake: true,
      body: z.unknown(),
      responses: {
        202: { description: 'Stored durably; the writer is sent a confirmation link.', schema: accepted },
        422: { description: 'A field needs attention; `fields` says which and why.', schema: validationFailure },
        429: { description: 'Too many letters from this client or address; Retry-After says when to send it again.', schema: errorBody },
        503: { description: 'The desk is past what it can store just now (nothing was stored); Retry-After says when to send it again.', schema: errorBody },
      },
      handler: async ({ req, reply }) => {
        const key = req.headers['idempotency-key'];
        if (Array.isArray(key) || (key !== undefined && (key.length < 8 || key.length > 200)))
          throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be one value of 8 to 200 characters.');
        // Field messages in the publication's language, or the reader's (Accept-Language) where it allows: embeds show them to readers.
        const { lang, fromReader } = pageLanguage(ctx.publication, req.headers['accept-language']);
        const t = translator(lang, readerSettings(ctx.publication).messages);
        const out = await submitLetter(ctx, req.body, { source: 'api', idempotencyKey: key ? `api:${key}` : null, powRequired: true, say: (k, v) => t.t(k, v), language: fromReader ? lang : null });
        if (!out.ok) {
          if (out.code) throw new HttpError(out.status, out.code, out.message ?? '', undefined, out.retryAfterSeconds);
          throw validationError(out.fields);
        }
        reply.code(202);
        return out.result.answer;
      },
    },
    {
      method: 'GET',
      url: '/api/v1/pow/challenge',
      tag: 'letters',
      summary: 'A proof-of-work challenge (ALTCHA v1) to solve before submitting a letter.',
      access: 'public',
      responses: { 200: { description: 'The challenge: {algorithm, challenge, maxnumber, salt, signature}.' } },
      handler: async ({ reply }) => {
        reply.header('cache-control', 'no-store');
        return newChallenge(ctx);
      },
    },
    {
      method: 'GET',
      url: '/api/v1/letters',
      tag: 'letters',
      summary: 'The queue: letters newest first, filtered by status (comma-separated), article ("none": unmatched), campaign or full-text query.',
      access: READERS,
      query: listLettersQuery,
      responses: { 200: { description: 'A page of letters.', schema: letterList } },
      handler: async ({ query, actor }) => {
        const letters = await listLetters(ctx.db, {
          status: query.status,
          articleId: query.article && query.article !== 'none' ? query.article : undefined,
          unmatched: query.article === 'none',
          campaignId: query.campaign,
          q: query.q,
          before: query.cursor,
          oldestFirst: query.sort === 'oldest',
          limit: query.limit + 1,
        });
        const { page, nextCursor } = keysetPage(letters, query.limit);
        const ids = page.map((l) => l.id);
        // The page's campaigns, and the one the desk has open even when none of its letters is on the page (its panel names it).
        const campaignIds = [...page.flatMap((l) => (l.campaignId ? [l.campaignId] : [])), ...(query.campaign ? [query.campaign] : [])];
        const [writers, screenings, insights, titles, campaigns] = await Promise.all([
          findWritersByIds(ctx.db, page.map((l) => l.writerId)),
          findLetterScreenings(ctx.db, ids),
          findLetterInsights(ctx.db, ids),
          articleTitles(ctx.db, [...new Set(page.flatMap((l) => (l.articleId ? [l.articleId] : [])))]),
          campaignIds.length ? campaignsByIds(ctx.db, campaignIds) : new Map(),
        ]);
        return {
          items: page.map((l) => presentSummary(l, writers.get(l.writerId), screenings.get(l.id), insights.get(l.id), actor, titles.get(l.articleId ?? '') ?? null)),
          nextCursor,
          campaigns: [...campaigns].map(([id, c]) => presentPageCampaign(id, c)),
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/letters/:id',
      tag: 'letters',
      summary:
        "One letter: the writer's text, the original, the writer, article match, screening, history, the caller's allowed actions and the letter's version (also the ETag, for If-Match).",
      access: READERS,
      params: letterIdParams,
      responses: { 200: { description: 'The letter.', schema: letterDetail }, 404: { description: 'No such letter.', schema: errorBody } },
      handler: async ({ params, actor, reply }) => {
        const letter = await findLetterById(ctx.db, params.id);
        if (!letter) throw new HttpError(404, 'not_found', 'No such letter.');
        reply.header('etag', `"${letter.version}"`);
        return detail(ctx, letter, actor);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/letters/:id/actions',
      tag: 'letters',
      summary:
        'Take an action on a letter: shortlist, decline, spam, not_spam, assign_article, assign, edit, request_approval, schedule, publish, withdraw, note, verify, theme (file under a line of argument), stance (agree, disagree, mixed); the letter\'s `allowedActions` lists those that fit now. Send `If-Match: "N"` with the version you saw: if someone changed the letter since, the action is refused with 409 `stale` and the current version, instead of overwriting their change.',
      access: ACTORS,
      mutates: true,
      params: letterIdParams,
      body: actionInput,
      responses: {
        200: { description: 'The letter after the action.', schema: letterDetail },
        404: { description: 'No such letter.', schema: errorBody },
        409: { description: 'The action does not apply to a letter in this status (`conflict`), or the letter changed since the version in If-Match (`stale`).', schema: errorBody },
        412: { description: 'If-Match is not a version ("N").', schema: errorBody },
        422: { description: 'The action is malformed.', schema: validationFailure },
      },
      handler: async ({ req, reply, params, body, actor }) => {
        const expectedVersion = versionFromIfMatch(req.headers['if-match']);
        const out = await takeAction(ctx, params.id, body, actor!, { expectedVersion });
        if (!out.ok) {
          if (out.stale) reply.header('etag', `"${out.stale.version}"`);
          throw new HttpError(out.status, out.stale ? 'stale' : out.status === 404 ? 'not_found' : out.status === 409 ? 'conflict' : out.status === 403 ? 'forbidden' : 'invalid', out.error);
        }
        reply.header('etag', `"${out.letter.version}"`);
        return detail(ctx, out.letter, actor);
      },
    },
  ];
}

/** `If-Match: "7"` (or W/"7") → 7; absent → no check; anything else is refused rather than ignored. */
function versionFromIfMatch(h: string | string[] | undefined): number | undefined {
  if (h === undefined || h === '*') return undefined;
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(Array.isArray(h) ? (h[0] ?? '') : h.trim());
  if (!m) throw new HttpError(412, 'precondition_failed', 'If-Match must be the letter\'s version as an ETag, e.g. "3" (the ETag of GET /api/v1/letters/:id).');
  return Number(m[1]);
}

/** For the OpenAPI document: the submission body is validated by hand (to check the article) but has this shape. */
export const documentedBodies: Record<string, z.ZodType> = { 'POST /api/v1/letters': letterSubmission };

/** A letter whole, as its page and an action's answer show it. */
async function detail(ctx: AppContext, letter: Letter, actor: Actor | null) {
  const [writer, history, screenings, insights, titles] = await Promise.all([
    findWriterById(ctx.db, letter.writerId),
    listEventsForLetter(ctx.db, letter.id),
    findLetterScreenings(ctx.db, [letter.id]),
    findLetterInsights(ctx.db, [letter.id]),
    articleTitles(ctx.db, letter.articleId ? [letter.articleId] : []),
  ]);
  return presentDetail(letter, writer!, history, screenings.get(letter.id), insights.get(letter.id), actor, titles.get(letter.articleId ?? '') ?? null);
}
