// Health, readiness, metrics, the OpenAPI document and the outbox.
import type { AppContext } from '../../../context.ts';
import { listOutbox } from '../../../db/repositories/outbox.ts';
import type { RouteTable } from '../../route.ts';
import { HttpError, retryLater } from '../../errors.ts';
import { inWords } from '../../../util/busy.ts';
import { openApiDocument } from '../../openapi.ts';
import { keysetPage } from '../../paging.ts';
import { presentMail } from './presenter.ts';
import { healthAnswer, mailIdParams, outboxQuery, readyAnswer } from './schema.ts';
import { z } from 'zod';
import { resendMail } from '../../../outbox/deliver.ts';
import { errorBody } from '../../schema.ts';
import { readiness, scrape } from '../../monitoring.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** How soon a health check that failed is worth asking again: a probe's own interval, about. */
const HEALTH_RETRY_S = 10;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** A scraper shows the metrics token when one is set; without one, only loopback may scrape. */
function mayScrape(ctx: AppContext, req: FastifyRequest): void {
  const token = ctx.config.metricsToken;
  if (!token) {
    if (!LOOPBACK.test(req.ip)) throw new HttpError(403, 'forbidden', 'Metrics answer only on this machine unless METRICS_TOKEN is set.');
    return;
  }
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(401, 'unauthorized', 'Send the metrics token as a bearer token.');
}

export function systemRoutes(ctx: AppContext, allRoutes: () => RouteTable): RouteTable {
  let doc: unknown = null;
  return [
    {
      method: 'GET',
      url: '/healthz',
      tag: 'system',
      summary: 'Health: 200 when the database answers.',
      access: 'public',
      responses: { 200: { description: 'Healthy.', schema: healthAnswer }, 503: { description: 'The database does not answer.' } },
      handler: async () => {
        try {
          await ctx.db.ping();
        } catch {
          throw retryLater(503, 'unavailable', `The database does not answer; ask again ${inWords(HEALTH_RETRY_S)}.`, HEALTH_RETRY_S);
        }
        return { status: 'ok' };
      },
    },
    {
      method: 'GET',
      url: '/readyz',
      tag: 'system',
      summary: 'Readiness: 200 when the database answers, its schema is up to date and the background work (events, jobs) runs; 503 with the failing checks otherwise.',
      access: 'public',
      responses: { 200: { description: 'Ready.', schema: readyAnswer }, 503: { description: 'Not ready; `checks` says why.', schema: readyAnswer } },
      handler: async ({ reply }) => {
        const r = await readiness(ctx);
        if (r.ready) return reply.code(200).send(r);
        return reply
          .code(503)
          .header('retry-after', String(HEALTH_RETRY_S))
          .send({ ...r, message: `Not ready (${Object.entries(r.checks).filter(([, v]) => v !== 'ok').map(([k]) => k).join(', ')}); ask again ${inWords(HEALTH_RETRY_S)}.` });
      },
    },
    {
      method: 'GET',
      url: '/metrics',
      tag: 'system',
      summary: 'Prometheus metrics. With METRICS_TOKEN set, send it as a bearer token; without it, only this machine (loopback) may scrape.',
      access: 'public',
      responses: { 200: { description: 'Prometheus text format.', contentType: 'text/plain' }, 401: { description: 'No or a wrong metrics token.', schema: errorBody }, 403: { description: 'Scraping from elsewhere needs METRICS_TOKEN.', schema: errorBody } },
      handler: async ({ req, reply }) => {
        mayScrape(ctx, req);
        const m = await scrape(ctx);
        return reply.type(m.contentType).send(m.text);
      },
    },
    {
      method: 'GET',
      url: '/api/v1/openapi.json',
      tag: 'system',
      summary: 'This document.',
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1 document.' } },
      handler: async () => (doc ??= openApiDocument(allRoutes(), ctx.config.publicUrl)),
    },
    {
      method: 'GET',
      url: '/api/v1/outbox',
      tag: 'system',
      summary: 'Outgoing mail, newest first: recipients, subject, text, status. Until SMTP_URL is set, mail is kept here.',
      access: ['admin'],
      query: outboxQuery,
      responses: { 200: { description: 'A page of mail.' } },
      handler: async ({ query }) => {
        const items = await listOutbox(ctx.db, { limit: query.limit + 1, before: query.cursor, letterId: query.letter });
        const { page, nextCursor } = keysetPage(items, query.limit);
        return {
          items: page.map(presentMail),
          nextCursor,
        };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/outbox/:id/resend',
      tag: 'system',
      summary: 'Sends an uncertain mail (its node stopped mid-send, so the relay may have it) or a failed one again.',
      access: ['admin'],
      mutates: true,
      params: mailIdParams,
      responses: { 202: { description: 'Queued for sending.', schema: z.object({ id: z.string(), status: z.literal('pending') }) }, 409: { description: 'The mail is neither uncertain nor failed.', schema: errorBody } },
      handler: async ({ params, reply }) => {
        if (!(await resendMail(ctx, params.id))) throw new HttpError(409, 'conflict', 'Only an uncertain or failed mail can be sent again.');
        return reply.code(202).send({ id: params.id, status: 'pending' });
      },
    },
  ];
}
