// Mail in over HTTP, and the system tray. Providers post raw MIME (or their
// own JSON/form formats); every door ends in receiveMail and answers only
// once the message is committed. Editors list what arrived, download the raw
// message and attachments (always as downloads with a neutral type, never
// shown inline: mail is never rendered as HTML here).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { findInbound, findInboundWithRaw, listInbound, readInboundRaw } from '../../../db/repositories/inbound.ts';
import { AdapterError, fromMailgun, fromPostmark, type ProviderMail } from '../../../inbound/adapters.ts';
import { receiveMail } from '../../../inbound/index.ts';
import { decompressRaw, RawMailGone } from '../../../inbound/raw.ts';
import { releaseFromTray } from '../../../inbound/reprocess.ts';
import { parseMessage, resolveLimits } from '../../../mail/index.ts';
import { mailOptions } from '../../../inbound/options.ts';
import { HttpError } from '../../errors.ts';
import { busyOf, inWords } from '../../../util/busy.ts';
import type { RouteTable } from '../../route.ts';
import { presentInbound, presentInboundMessage, presentReceived } from './presenter.ts';
import { acceptedShape, attachmentParams, inboundIdParams, inboundListQuery } from './schema.ts';
import { keysetPage } from '../../paging.ts';

const READERS = ['admin', 'editor', 'viewer'] as const;
const EDITORS = ['admin', 'editor'] as const;
const INTAKE = ['inbound', 'admin'] as const;

/** A storage fault: the provider should retry (503 with Retry-After), never a 500 that looks like bad input. */
async function receiveOr503(ctx: AppContext, reply: FastifyReply, mail: ProviderMail, source: 'webhook' | 'postmark' | 'mailgun') {
  try {
    return await receiveMail(ctx, mail.raw, mail.envelope, source);
  } catch (err) {
    ctx.log.error({ err: { message: (err as Error).message }, source }, 'inbound mail not stored');
    // Shed or the mail workers busy: as soon as they say; any other fault: in a minute.
    const seconds = busyOf(err)?.retryAfterSeconds ?? 60;
    reply.header('retry-after', String(seconds));
    throw new HttpError(503, 'unavailable', `The message could not be stored just now; please send it again ${inWords(seconds)}.`);
  }
}

function safeFilename(name: string | null, fallback: string): string {
  const clean = (name ?? '').normalize('NFKC').replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^\.+/, '').slice(0, 120).trim();
  return clean || fallback;
}

function download(reply: FastifyReply, body: Buffer, filename: string, type: string) {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store');
  return reply.send(body);
}

async function mailgunInput(req: FastifyRequest): Promise<{ fields: Record<string, string>; files: { filename: string; content: Buffer; contentType: string }[] }> {
  if (Buffer.isBuffer(req.body)) {
    const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData().catch(() => {
      throw new HttpError(400, 'bad_request', 'The multipart body could not be read.');
    });
    const fields: Record<string, string> = {};
    const files: { filename: string; content: Buffer; contentType: string }[] = [];
    for (const [k, v] of form.entries()) {
      if (typeof v === 'string') fields[k] ??= v;
      else files.push({ filename: v.name || k, content: Buffer.from(await v.arrayBuffer()), contentType: v.type || 'application/octet-stream' });
    }
    return { fields, files };
  }
  if (req.body && typeof req.body === 'object') return { fields: req.body as Record<string, string>, files: [] };
  throw new HttpError(415, 'unsupported_media_type', 'Send Mailgun’s form fields as application/x-www-form-urlencoded or multipart/form-data.');
}

export function inboundRoutes(ctx: AppContext): RouteTable {
  const mailLimit = ctx.config.smtpMaxBytes + 64 * 1024;
  // Providers wrap the message (base64 attachments in JSON grow by a third).
  const wrappedLimit = Math.ceil(mailLimit * 1.5) + 1024 * 1024;
  return [
    {
      method: 'POST',
      url: '/api/v1/inbound/raw',
      tag: 'inbound',
      summary: 'Receive one raw email (message/rfc822), as a mail provider would post it. Answers once the message is stored; the same Message-ID from the same sender is stored once.',
      access: INTAKE,
      mutates: true,
      intake: true,
      consumes: 'message/rfc822',
      bodyLimit: mailLimit,
      responses: {
        202: { description: 'Stored; `kind` says what it is (null when quarantined), `status` where it went.', schema: acceptedShape },
        415: { description: 'The body is not message/rfc822.' },
        503: { description: 'Not stored (a temporary fault); retry later.' },
      },
      handler: async ({ req, reply }) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(415, 'unsupported_media_type', 'Send the message as the request body with Content-Type: message/rfc822.');
        const r = await receiveOr503(ctx, reply, { raw: req.body, envelope: { mailFrom: null, rcptTo: [ctx.publication.lettersAddress] } }, 'webhook');
        reply.code(202);
        return presentReceived(r);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/inbound/postmark',
      tag: 'inbound',
      summary: "Postmark's inbound webhook (JSON). Authenticate with a Bearer token or basic auth (any user name, the token as password) in the webhook URL.",
      access: INTAKE,
      mutates: true,
      intake: true,
      bodyLimit: wrappedLimit,
      responses: { 200: { description: 'Stored.', schema: acceptedShape }, 400: { description: 'Not a Postmark inbound payload.' }, 503: { description: 'Not stored; Postmark retries.' } },
      handler: async ({ req, reply }) => {
        const mail = await fromPostmark(req.body).catch((err: Error) => {
          throw new HttpError(400, 'bad_request', err instanceof AdapterError ? err.message : `The payload could not be turned into a message: ${err.message}`);
        });
        return presentReceived(await receiveOr503(ctx, reply, mail, 'postmark'));
      },
    },
    {
      method: 'POST',
      url: '/api/v1/inbound/mailgun',
      tag: 'inbound',
      summary: "Mailgun's forward()/store(notify) POST: form fields, or the raw message in `body-mime` (route URL ending in \"mime\" also works: /api/v1/inbound/mailgun/mime).",
      access: INTAKE,
      mutates: true,
      intake: true,
      consumes: 'application/x-www-form-urlencoded, multipart/form-data',
      bodyLimit: wrappedLimit,
      responses: { 200: { description: 'Stored.', schema: acceptedShape }, 406: { description: 'Not a Mailgun payload (Mailgun does not retry).' }, 503: { description: 'Not stored; Mailgun retries.' } },
      handler: async ({ req, reply }) => mailgunHandler(ctx, req, reply),
    },
    {
      method: 'POST',
      url: '/api/v1/inbound/mailgun/mime',
      tag: 'inbound',
      summary: 'The same as /api/v1/inbound/mailgun, at a URL ending in "mime" so that Mailgun posts the raw message.',
      access: INTAKE,
      mutates: true,
      intake: true,
      consumes: 'multipart/form-data',
      bodyLimit: wrappedLimit,
      responses: { 200: { description: 'Stored.', schema: acceptedShape } },
      handler: async ({ req, reply }) => mailgunHandler(ctx, req, reply),
    },
    {
      method: 'GET',
      url: '/api/v1/inbound',
      tag: 'inbound',
      summary: 'Received mail, newest first: the system tray is `status=tray` (auto-replies, bounces, list mail, spam); `quarantined` is mail that could not be read.',
      access: READERS,
      query: inboundListQuery,
      responses: { 200: { description: 'A page of received messages.' } },
      handler: async ({ query }) => {
        const rows = await listInbound(ctx.db, { kind: query.kind, status: query.status, before: query.cursor, limit: query.limit + 1 });
        const { page, nextCursor } = keysetPage(rows, query.limit);
        return { items: page.map(presentInbound), nextCursor };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inbound/:id',
      tag: 'inbound',
      summary: 'One received message: envelope, authentication results, kind and reason, attachments, what re-processing changed.',
      access: READERS,
      params: inboundIdParams,
      responses: { 200: { description: 'The message (without its raw bytes).' }, 404: { description: 'No such message.' } },
      handler: async ({ params }) => {
        const row = await findInbound(ctx.db, params.id);
        if (!row) throw new HttpError(404, 'not_found', 'No such message.');
        return presentInbound(row);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/inbound/:id/release',
      tag: 'inbound',
      summary: 'Take a tray item into the queue as a letter (spam or an auto-reply misjudged). Acknowledged only if it had been called spam.',
      access: EDITORS,
      mutates: true,
      params: inboundIdParams,
      responses: {
        200: { description: 'The new letter: {letterId}.' },
        404: { description: 'No such message.' },
        409: { description: 'Not a tray item.' },
        410: { description: 'The raw message is no longer kept: the letter cannot be read out of it.' },
        422: { description: 'It cannot become a letter (no text or no sender).' },
        503: { description: 'The mail workers or the database cannot take it just now; Retry-After says when to try again.' },
      },
      handler: async ({ params, actor }) => {
        const out = await releaseFromTray(ctx, params.id, actor!.label);
        if (!out.ok) throw new HttpError(out.status, out.status === 404 ? 'not_found' : out.status === 409 ? 'conflict' : out.status === 410 ? 'gone' : 'invalid', out.error);
        return { letterId: out.letterId };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inbound/:id/message',
      tag: 'inbound',
      summary: "A received message as the desk shows a tray item: the stored record (kind, reason, authentication, attachments) with the mail's readable text and its headers. Quarantined mail that cannot be read answers with the reason and no text.",
      access: EDITORS,
      params: inboundIdParams,
      responses: { 200: { description: 'The message with its text and headers.' }, 404: { description: 'No such message.' } },
      handler: async ({ params }) => {
        const found = await findInboundWithRaw(ctx.db, params.id);
        if (!found) throw new HttpError(404, 'not_found', 'No such message.');
        const { message: row, stored } = found;
        const parsed = await parseMessage(await decompressRaw(stored.compression, stored.raw), resolveLimits(mailOptions(ctx)));
        return presentInboundMessage(row, parsed.ok ? { text: parsed.text, textFromHtml: parsed.textFromHtml, headers: parsed.headers } : { unreadable: parsed.reason });
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inbound/:id/raw',
      tag: 'inbound',
      summary: 'The raw message as received (message/rfc822, as a download).',
      access: EDITORS,
      params: inboundIdParams,
      responses: { 200: { description: 'The raw message.', contentType: 'message/rfc822' }, 404: { description: 'No such message.' }, 410: { description: 'The retention policy removed the raw message.' } },
      handler: async ({ params, reply }) => {
        const stored = await readInboundRaw(ctx.db, params.id);
        if (!stored) throw new HttpError(404, 'not_found', 'No such message.');
        return download(reply, await rawOf(stored), `${params.id}.eml`, 'message/rfc822');
      },
    },
    {
      method: 'GET',
      url: '/api/v1/inbound/:id/attachments/:n',
      tag: 'inbound',
      summary: 'Attachment n (from 0, as listed) of a received message, always as a download with a neutral content type.',
      access: EDITORS,
      params: attachmentParams,
      responses: { 200: { description: 'The attachment bytes.', contentType: 'application/octet-stream' }, 404: { description: 'No such message or attachment.' }, 410: { description: 'The retention policy removed the raw message.' } },
      handler: async ({ params, reply }) => {
        const stored = await readInboundRaw(ctx.db, params.id);
        if (!stored) throw new HttpError(404, 'not_found', 'No such message.');
        const parsed = await parseMessage(await rawOf(stored), resolveLimits(mailOptions(ctx)));
        const att = parsed.ok ? parsed.attachments[params.n] : undefined;
        if (!att) throw new HttpError(404, 'not_found', 'No such attachment.');
        return download(reply, Buffer.from(att.content), safeFilename(att.filename, `attachment-${params.n + 1}.bin`), 'application/octet-stream');
      },
    },
  ];
}

async function mailgunHandler(ctx: AppContext, req: FastifyRequest, reply: FastifyReply) {
  const { fields, files } = await mailgunInput(req);
  const mail = await fromMailgun(fields, files).catch((err: Error) => {
    // 406 tells Mailgun not to retry a payload that will never be readable.
    throw new HttpError(406, 'not_acceptable', err instanceof AdapterError ? err.message : `The payload could not be turned into a message: ${err.message}`);
  });
  return presentReceived(await receiveOr503(ctx, reply, mail, 'mailgun'));
}

/** The stored message's bytes; 410 when the retention policy removed them. */
async function rawOf(stored: { compression: string; raw: Uint8Array }): Promise<Buffer> {
  try {
    return await decompressRaw(stored.compression, stored.raw);
  } catch (err) {
    if (err instanceof RawMailGone) throw new HttpError(410, 'gone', err.message);
    throw err;
  }
}
