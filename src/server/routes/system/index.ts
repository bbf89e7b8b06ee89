// Health, the OpenAPI document and the outbox.
import type { AppContext } from '../../../context.ts';
import { listOutbox } from '../../../db/repositories/outbox.ts';
import type { RouteTable } from '../../route.ts';
import { HttpError } from '../../errors.ts';
import { openApiDocument } from '../../openapi.ts';
import { keysetPage } from '../../paging.ts';
import { presentMail } from './presenter.ts';
import { healthAnswer, outboxQuery } from './schema.ts';

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
          throw new HttpError(503, 'unavailable', 'The database does not answer.');
        }
        return { status: 'ok' };
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
  ];
}
