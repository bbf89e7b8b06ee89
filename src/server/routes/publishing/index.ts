// The publishing API: webhooks (admin), export of published letters, and
// inviting an article's author to reply to a published letter.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { listPublished } from '../../../db/repositories/published.ts';
import { disableWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks, type Webhook } from '../../../db/repositories/webhooks.ts';
import { inviteAuthor } from '../../../publishing/author-replies.ts';
import { toHtml, toJson, toMarkdown } from '../../../publishing/export.ts';
import { WEBHOOK_EVENTS } from '../../../publishing/webhooks.ts';
import { validEmail } from '../../../letters/text-rules.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { keysetPage } from '../../paging.ts';

const ADMIN = ['admin'] as const;
const READERS = ['admin', 'editor', 'viewer'] as const;
const ACTORS = ['admin', 'editor'] as const;

const webhookBody = z.strictObject({
  url: z
    .string()
    .max(2000)
    .refine((u) => {
      try {
        return ['http:', 'https:'].includes(new URL(u).protocol);
      } catch {
        return false;
      }
    }, 'url must be an http or https URL'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
});

const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2024-05-31');

function presentHook(h: Webhook, withSecret = false) {
  return { id: h.id, url: h.url, events: h.events, createdAt: h.createdAt.toISOString(), ...(withSecret ? { secret: h.secret } : {}) };
}

export function publishingApiRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'POST',
      url: '/api/v1/webhooks',
      tag: 'webhooks',
      summary: 'Register a webhook for letter.received, letter.published and/or letter.withdrawn. The answer carries the signing secret (shown once).',
      access: ADMIN,
      mutates: true,
      body: webhookBody,
      responses: { 201: { description: 'Registered.' } },
      handler: async ({ body, reply }) => {
        const hook = await insertWebhook(ctx.db, { url: body.url, events: [...new Set<string>(body.events)] });
        reply.code(201);
        return presentHook(hook, true);
      },
    },
    {
      method: 'GET',
      url: '/api/v1/webhooks',
      tag: 'webhooks',
      summary: 'Registered webhooks.',
      access: ADMIN,
      responses: { 200: { description: 'The webhooks.' } },
      handler: async () => ({ items: (await listWebhooks(ctx.db)).map((h) => presentHook(h)) }),
    },
    {
      method: 'DELETE',
      url: '/api/v1/webhooks/:id',
      tag: 'webhooks',
      summary: 'Remove a webhook (its delivery log is kept).',
      access: ADMIN,
      mutates: true,
      params: idParams,
      responses: { 204: { description: 'Removed.' }, 404: { description: 'No such webhook.' } },
      handler: async ({ params, reply }) => {
        if (!(await disableWebhook(ctx.db, params.id))) throw new HttpError(404, 'not_found', 'No such webhook.');
        return reply.code(204).send();
      },
    },
    {
      method: 'GET',
      url: '/api/v1/webhooks/:id/deliveries',
      tag: 'webhooks',
      summary: "A webhook's delivery log, newest first: event, status (pending, delivered, failed), attempts, last HTTP status and error.",
      access: ADMIN,
      params: idParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional() }),
      responses: { 200: { description: 'The log.' }, 404: { description: 'No such webhook.' } },
      handler: async ({ params, query }) => {
        if (!(await findWebhook(ctx.db, params.id))) throw new HttpError(404, 'not_found', 'No such webhook.');
        const rows = await listDeliveries(ctx.db, params.id, { limit: query.limit + 1, before: query.cursor });
        const { page, nextCursor } = keysetPage(rows, query.limit);
        return {
          items: page.map((d) => ({
            id: d.id,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            lastStatus: d.lastStatus,
            lastError: d.lastError,
            deliveredAt: d.deliveredAt?.toISOString() ?? null,
            createdAt: d.createdAt.toISOString(),
            payload: JSON.parse(d.payload),
          })),
          nextCursor,
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/exports/letters',
      tag: 'publishing',
      summary: 'Letters published from `from` to `to` (inclusive days, UTC) as Markdown, HTML or JSON, oldest first.',
      access: READERS,
      query: z.strictObject({ from: day, to: day, format: z.enum(['markdown', 'html', 'json']).default('json') }),
      responses: { 200: { description: 'The export.' } },
      handler: async ({ query, reply }) => {
        const from = new Date(`${query.from}T00:00:00Z`);
        const to = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86400_000);
        if (!(from < to)) throw new HttpError(422, 'invalid', '`from` must not be after `to`.');
        const letters = (await listPublished(ctx.db, { from, to, limit: 5000 })).reverse();
        const title = `${ctx.publication.name}: letters ${query.from} to ${query.to}`;
        const name = `letters-${query.from}-${query.to}`;
        if (query.format === 'json') return { title, from: query.from, to: query.to, letters: toJson(letters) };
        if (query.format === 'markdown') return reply.header('content-type', 'text/markdown; charset=utf-8').header('content-disposition', `attachment; filename="${name}.md"`).send(toMarkdown(title, letters));
        // Served as a download so that it is never rendered on the desk's origin.
        return reply.header('content-type', 'text/html; charset=utf-8').header('content-disposition', `attachment; filename="${name}.html"`).header('content-security-policy', "default-src 'none'").send(toHtml(title, letters));
      },
    },
    {
      method: 'POST',
      url: '/api/v1/letters/:id/author-invitation',
      tag: 'publishing',
      summary: "Invite the article's author to reply to a published letter: a mail with a one-time link; the reply is published beneath the letter.",
      access: ACTORS,
      mutates: true,
      params: idParams,
      body: z.strictObject({ email: z.string().max(254).refine(validEmail, 'a valid email address'), name: z.string().min(1).max(200).optional() }),
      responses: { 202: { description: 'Invitation queued.' }, 404: { description: 'No such letter.' }, 409: { description: 'The letter is not published.' } },
      handler: async ({ params, body, actor, reply }) => {
        const out = await inviteAuthor(ctx, params.id, { email: body.email, name: body.name ?? null }, actor!.label);
        if (!out.ok) throw new HttpError(out.status, out.status === 404 ? 'not_found' : 'conflict', out.error);
        reply.code(202);
        return { status: 'invited' };
      },
    },
  ];
}
