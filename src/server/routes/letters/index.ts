// The letters API: public submission, and the editors' queue and actions.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { listEventsForLetter } from '../../../db/repositories/events.ts';
import { findLetterById, listLetters } from '../../../db/repositories/letters.ts';
import { findWriterById, findWritersByIds } from '../../../db/repositories/writers.ts';
import { findLetterScreenings } from '../../../db/repositories/screening.ts';
import { actionInput, takeAction } from '../../../letters/actions.ts';
import { letterSubmission } from '../../../letters/submission.ts';
import { HttpError, validationError } from '../../errors.ts';
import { newChallenge } from '../../../letters/pow.ts';
import type { RouteTable } from '../../route.ts';
import { presentDetail, presentSummary } from './presenter.ts';
import { errorBody, validationFailure } from '../../schema.ts';
import { accepted, letterDetail, letterIdParams, letterList, listLettersQuery } from './schema.ts';
import { submitLetter } from '../../../letters/submit.ts';
import { keysetPage } from '../../paging.ts';

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
        const out = await submitLetter(ctx, req.body, { source: 'api', idempotencyKey: key ? `api:${key}` : null, powRequired: true });
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
      handler: async ({ query }) => {
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
        const [writers, screenings] = await Promise.all([findWritersByIds(ctx.db, page.map((l) => l.writerId)), findLetterScreenings(ctx.db, page.map((l) => l.id))]);
        return { items: page.map((l) => presentSummary(l, writers.get(l.writerId), screenings.get(l.id))), nextCursor };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/letters/:id',
      tag: 'letters',
      summary: "One letter: the writer's text, the original, the writer, article match, screening and history.",
      access: READERS,
      params: letterIdParams,
      responses: { 200: { description: 'The letter.', schema: letterDetail }, 404: { description: 'No such letter.', schema: errorBody } },
      handler: async ({ params }) => {
        const letter = await findLetterById(ctx.db, params.id);
        if (!letter) throw new HttpError(404, 'not_found', 'No such letter.');
        const [writer, history, screenings] = await Promise.all([findWriterById(ctx.db, letter.writerId), listEventsForLetter(ctx.db, letter.id), findLetterScreenings(ctx.db, [letter.id])]);
        return presentDetail(letter, writer!, history, screenings.get(letter.id));
      },
    },
    {
      method: 'POST',
      url: '/api/v1/letters/:id/actions',
      tag: 'letters',
      summary: 'Take an action on a letter: shortlist, decline, spam, not_spam, assign_article, assign, edit, request_approval, schedule, publish, withdraw, note, verify.',
      access: ACTORS,
      mutates: true,
      params: letterIdParams,
      body: actionInput,
      responses: {
        200: { description: 'The letter after the action.', schema: letterDetail },
        404: { description: 'No such letter.', schema: errorBody },
        409: { description: 'The action does not apply to a letter in this status.', schema: errorBody },
        422: { description: 'The action is malformed.', schema: validationFailure },
      },
      handler: async ({ params, body, actor }) => {
        const out = await takeAction(ctx, params.id, body, actor!);
        if (!out.ok) throw new HttpError(out.status, out.status === 404 ? 'not_found' : out.status === 409 ? 'conflict' : out.status === 403 ? 'forbidden' : 'invalid', out.error);
        const [writer, history, screenings] = await Promise.all([findWriterById(ctx.db, out.letter.writerId), listEventsForLetter(ctx.db, out.letter.id), findLetterScreenings(ctx.db, [out.letter.id])]);
        return presentDetail(out.letter, writer!, history, screenings.get(out.letter.id));
      },
    },
  ];
}

/** For the OpenAPI document: the submission body is validated by hand (to check the article) but has this shape. */
export const documentedBodies: Record<string, z.ZodType> = { 'POST /api/v1/letters': letterSubmission };
