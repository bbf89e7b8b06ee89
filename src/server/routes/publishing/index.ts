// The publishing API: webhooks (admin), export of published letters, and
// inviting an article's author to reply to a published letter.
import type { AppContext } from '../../../context.ts';
import { listPublished } from '../../../db/repositories/published.ts';
import { disableWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks } from '../../../db/repositories/webhooks.ts';
import { inviteAuthor } from '../../../publishing/author-replies.ts';
import { toCsv, toHtml, toJson, toMarkdown } from '../../../publishing/export.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { keysetPage } from '../../paging.ts';
import { presentDelivery, presentHook, presentReaderSettings } from './presenter.ts';
import { authorInvitationBody, deliveriesQuery, exportQuery, publishingIdParams, readerSettingsPatch, webhookBody } from './schema.ts';
import { updateSettingsGroup } from '../../../db/repositories/publication.ts';
import { availableLanguages, canonicalTag, checkExtensions, servable } from '../../../i18n/index.ts';
import { readerSettings, safeImageUrl } from '../../../publishing/readers.ts';

const ADMIN = ['admin'] as const;
const READERS = ['admin', 'editor', 'viewer'] as const;
const ACTORS = ['admin', 'editor'] as const;

export function publishingApiRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/settings/readers',
      tag: 'publishing',
      summary: "What readers see: the language of public pages and of mail to writers, whether readers get their own language, the publication's own messages, colours and logo.",
      access: READERS,
      responses: { 200: { description: 'The readers settings.' } },
      handler: async () => presentReaderSettings(readerSettings(ctx.publication)),
    },
    {
      method: 'PATCH',
      url: '/api/v1/settings/readers',
      tag: 'publishing',
      summary: 'Change what readers see (fields given replace the stored ones; `messages` is replaced whole).',
      access: ADMIN,
      mutates: true,
      body: readerSettingsPatch,
      responses: { 200: { description: 'The readers settings after the change.' }, 422: { description: 'A message, language or logo that cannot be used.' } },
      handler: async ({ body }) => {
        const current = readerSettings(ctx.publication);
        const messages = body.messages ?? current.messages;
        const problems = checkExtensions(messages);
        const language = body.language === undefined ? current.language : canonicalTag(body.language);
        if (!language) problems.push(`"${body.language}" is not a language tag`);
        else if (!servable(language, messages)) problems.push(`there is no catalogue for "${language}": give messages for it, or choose one of ${availableLanguages(messages).join(', ')}`);
        if (body.brand?.logoUrl && !safeImageUrl(body.brand.logoUrl)) problems.push('the logo must be an https address or a path on this site');
        if (body.brand?.homeUrl && !/^https?:\/\/[^\s"'<>]+$/i.test(body.brand.homeUrl)) problems.push('the home page must be an http(s) address');
        if (problems.length) throw new HttpError(422, 'validation', problems.join('; '));
        const next = {
          language,
          readerLanguage: body.readerLanguage ?? current.readerLanguage,
          messages,
          brand: { ...current.brand, ...(body.brand ?? {}) },
        };
        const pub = await updateSettingsGroup(ctx.db, 'readers', next);
        // This node sees the change at once; the others (and the writer thread) within the settings refresh.
        ctx.publication.policies = pub.policies;
        return presentReaderSettings(readerSettings(pub));
      },
    },
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
      params: publishingIdParams,
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
      params: publishingIdParams,
      query: deliveriesQuery,
      responses: { 200: { description: 'The log.' }, 404: { description: 'No such webhook.' } },
      handler: async ({ params, query }) => {
        if (!(await findWebhook(ctx.db, params.id))) throw new HttpError(404, 'not_found', 'No such webhook.');
        const rows = await listDeliveries(ctx.db, params.id, { limit: query.limit + 1, before: query.cursor });
        const { page, nextCursor } = keysetPage(rows, query.limit);
        return {
          items: page.map(presentDelivery),
          nextCursor,
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/exports/letters',
      tag: 'publishing',
      summary: 'Letters published from `from` to `to` (inclusive days, UTC) as Markdown, HTML, CSV (for spreadsheets: a cell that would start a formula begins with an apostrophe) or JSON, oldest first.',
      access: READERS,
      query: exportQuery,
      responses: { 200: { description: 'The export.' } },
      handler: async ({ query, reply }) => {
        const from = new Date(`${query.from}T00:00:00Z`);
        const to = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86400_000);
        if (!(from < to)) throw new HttpError(422, 'invalid', '`from` must not be after `to`.');
        const letters = (await listPublished(ctx.db, { from, to, limit: 5000 })).reverse();
        const title = `${ctx.publication.name}: letters ${query.from} to ${query.to}`;
        const name = `letters-${query.from}-${query.to}`;
        if (query.format === 'json') return { title, from: query.from, to: query.to, letters: toJson(letters) };
        // UTF-8 with a byte order mark, which spreadsheets need to read it as UTF-8 (CSV parsers skip it).
        if (query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8; header=present').header('content-disposition', `attachment; filename="${name}.csv"`).send(`\uFEFF${toCsv(letters)}`);
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
      params: publishingIdParams,
      body: authorInvitationBody,
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
