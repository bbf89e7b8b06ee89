// Health, the OpenAPI document and the outbox.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { listOutbox } from '../../../db/repositories/outbox.ts';
import type { RouteTable } from '../../route.ts';
import { HttpError } from '../../errors.ts';
import { openApiDocument } from '../../openapi.ts';
import { keysetPage } from '../../paging.ts';

export function systemRoutes(ctx: AppContext, allRoutes: () => RouteTable): RouteTable {
  let doc: unknown = null;
  return [
    {
      method: 'GET',
      url: '/healthz',
      tag: 'system',
      summary: 'Health: 200 when the database answers.',
      access: 'public',
      responses: { 200: { description: 'Healthy.', schema: z.object({ status: z.literal('ok') }) }, 503: { description: 'The database does not answer.' } },
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
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional(), letter: z.string().max(100).optional() }),
      responses: { 200: { description: 'A page of mail.' } },
      handler: async ({ query }) => {
        const items = await listOutbox(ctx.db, { limit: query.limit + 1, before: query.cursor, letterId: query.letter });
        const { page, nextCursor } = keysetPage(items, query.limit);
        return {
          items: page.map((m) => ({
            id: m.id,
            letterId: m.letterId,
            kind: m.kind,
            to: m.to,
            subject: m.subject,
            text: m.text,
            headers: { 'Message-ID': m.messageId, ...m.headers },
            status: m.status,
            attempts: m.attempts,
            lastError: m.lastError,
            sentAt: m.sentAt?.toISOString() ?? null,
            createdAt: m.createdAt.toISOString(),
          })),
          nextCursor,
        };
      },
    },
  ];
}
