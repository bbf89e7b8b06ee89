// The HTTP server: body parsers, CORS for public routes, rate limits on the
// doors in, the route table, and one error shape. Any failure that reaches
// the error handler unexpected is logged and answered 500 without details.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../context.ts';
import { registerBodyParsers } from './body-parsers.ts';
import { HttpError } from './errors.ts';
import { Busy, inWords } from '../util/busy.ts';
import { registerRoutes, type RouteSpec, type RouteTable } from './route.ts';
import { admission } from '../util/admission.ts';
import { articleRoutes } from './routes/articles/index.ts';
import { formRoutes } from './routes/forms/index.ts';
import { letterRoutes } from './routes/letters/index.ts';
import { systemRoutes } from './routes/system/index.ts';
import { publicRoutes } from './routes/public/index.ts';
import { publishingApiRoutes } from './routes/publishing/index.ts';
import { deskRoutes } from './routes/desk/index.ts';
import { inboundRoutes } from './routes/inbound/index.ts';
import { campaignRoutes } from './routes/campaigns/index.ts';
import { feedRoutes } from './routes/feeds/index.ts';
import { insightRoutes } from './routes/articles/insights.ts';
import { reportRoutes } from './routes/reports/index.ts';
import { HTML_SECURITY_HEADERS } from './html.ts';
import { messagePage } from './routes/public/presenter.ts';
import { readerView, sendPage } from './readers.ts';

const BODY_LIMIT = 1024 * 1024;
/** How long a client is asked to wait when this node is stopping (another node, or this one restarted, takes it). */
const STOPPING_RETRY_S = 5;

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/** Paths any web page may call from another origin (embeds). */
const CORS_PUBLIC = [/^\/api\/v1\/letters$/, /^\/api\/v1\/pow\/challenge$/, /^\/articles\/[^/]+\/letters$/, /^\/feeds\//];

/** The body limit of a request, in words (raw and multipart mail take a whole message: body-parsers.ts). */
function bodyLimitFor(contentType: string | undefined, ctx: AppContext): string {
  const raw = /^\s*(message\/rfc822|application\/octet-stream|multipart\/form-data)/i.test(contentType ?? '');
  const bytes = raw ? ctx.config.smtpMaxBytes + 64 * 1024 : BODY_LIMIT;
  return `${(bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 })} MiB`;
}

/** A browser asking for a page (a form post, a link followed), not a program asking for JSON. */
function wantsPage(req: FastifyRequest): boolean {
  const type = req.headers['content-type'] ?? '';
  return /^\s*application\/x-www-form-urlencoded/i.test(type) || (/text\/html/i.test(req.headers.accept ?? '') && !/^\s*application\/json/i.test(type));
}

export function allRoutes(ctx: AppContext): RouteTable {
  const routes: RouteTable = [...letterRoutes(ctx), ...articleRoutes(ctx), ...formRoutes(ctx), ...deskRoutes(ctx), ...publicRoutes(ctx), ...publishingApiRoutes(ctx), ...inboundRoutes(ctx), ...campaignRoutes(ctx), ...insightRoutes(ctx), ...reportRoutes(ctx), ...feedRoutes(ctx)];
  routes.push(...systemRoutes(ctx, () => routes));
  return routes;
}

export async function buildHttpServer(ctx: AppContext, routes: RouteTable): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // A body declared larger than this is refused (413) from its Content-Length, before a byte of it is read.
    bodyLimit: BODY_LIMIT,
    // While stopping, new requests get our own 503 (with Retry-After) from the hook below, not Fastify's bare one.
    return503OnClosing: false,
    // Behind a proxy set TRUST_PROXY so rate limits see the client, not the proxy.
    trustProxy: ctx.config.trustProxy,
    routerOptions: { maxParamLength: 500 },
    // Every log line of a request carries its id: the proxy's X-Request-Id when it sends a sane one, else a new one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:@-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });

  registerBodyParsers(app, { rawMailLimit: ctx.config.smtpMaxBytes + 64 * 1024 });

  await app.register(cors, {
    delegator: (req, cb) => {
      const url = (req.url ?? '').split('?')[0]!;
      cb(null, CORS_PUBLIC.some((re) => re.test(url)) ? { origin: '*', methods: ['GET', 'POST'], allowedHeaders: ['Content-Type', 'Idempotency-Key'], maxAge: 600 } : { origin: false });
    },
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => ({ statusCode: 429, error: 'rate_limited', message: `Too many requests from your network; please try again ${inWords(c.ttl / 1000)}.` }),
  });

  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: 3600_000, decorateReply: false });

  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (stopping) {
      reply.header('connection', 'close');
      throw new HttpError(503, 'stopping', `This server is restarting; please try again ${inWords(STOPPING_RETRY_S)}.`, undefined, STOPPING_RETRY_S);
    }
  });
  // Load shedding at the doors in (util/admission.ts): a letter let in should
  // be answered within 2 s, so once the oldest request under way at these
  // doors has taken a second (the process or the database is past what it
  // can do in time), or too many are under way, newcomers are refused before
  // their body is read. Reads and the desk's own work are never shed.
  const door = admission({ limit: ctx.config.writeQueueLimit, maxWaitMs: 1000, minimum: 32, what: 'letters' });
  app.addHook('onRequest', async (req, reply) => {
    if (!(req.routeOptions.config as { spec?: RouteSpec } | undefined)?.spec?.intake) return;
    const ticket = door.enter();
    reply.raw.once('close', () => door.leave(ticket));
  });
  // Every 429 and 503 says when to come back (RFC 9110 §10.2.3). Each refusal
  // sets its own; this only catches one that forgot, so a client never
  // retries blindly.
  app.addHook('onSend', async (_req, reply, payload) => {
    if ((reply.statusCode === 429 || reply.statusCode === 503) && !reply.hasHeader('retry-after')) reply.header('retry-after', '30');
    return payload;
  });
  // Logs say what happened, never who: no IP addresses, no tokens in URLs.
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    req.log.info({ method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    ctx.metrics.httpRequests.inc({ method: req.method, route, status: reply.statusCode });
    ctx.metrics.httpSeconds.observe({ route }, reply.elapsedTime / 1000);
  });

  // Intake doors get a per-client rate limit.
  for (const r of routes) {
    if (r.access === 'public' && r.mutates && ctx.config.rateLimit) (r as { rateLimit?: unknown }).rateLimit = { max: 20, timeWindow: 60_000 };
  }
  registerRoutes(app, ctx, routes);

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}.` });
    const view = readerView(ctx, req);
    return sendPage(reply, view, 404, messagePage(view.frame, view.t.t('notFound.pageTitle'), view.t.t('notFound.pageText')));
  });

  /**
   * An error answer: JSON for the API; for a page (a browser's form post, a
   * public page) the same words as a page, so a reader is told rather than
   * shown JSON. A refusal for now says when in its words and Retry-After.
   */
  const answer = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, extra: object = {}) => {
    if (!req.url.startsWith('/api/') && wantsPage(req)) {
      const title = status === 429 || status === 503 ? 'Please try again shortly' : status === 413 ? 'Too long to send' : 'Something is not right';
      const text = status === 413 && req.method === 'POST' ? `${message} Use your browser's Back button to return to what you wrote and shorten it.` : status === 429 || status === 503 ? `${message} Use your browser's Back button to return to what you wrote and send it again then.` : message;
      const view = readerView(ctx, req);
      return sendPage(reply, view, status, messagePage(view.frame, title, text), { 'cache-control': 'no-store', ...HTML_SECURITY_HEADERS });
    }
    return reply.code(status).send({ error: code, message, ...extra });
  };

  app.setErrorHandler((err: FastifyError | HttpError | Busy, req, reply) => {
    if (err instanceof Busy) {
      // Load shed, or a part (the mail workers) unavailable for now: the desk's fault, not the request's.
      req.log.warn({ route: req.routeOptions.url, retryAfter: err.retryAfterSeconds, reason: err.message }, 'refused for now');
      reply.header('retry-after', String(err.retryAfterSeconds));
      return answer(req, reply, 503, 'busy', err.message);
    }
    if (err instanceof HttpError) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return answer(req, reply, err.status, err.code, err.message, err.fields ? { fields: err.fields } : {});
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status === 429) return answer(req, reply, 429, 'rate_limited', err.message);
    if (status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
              ? 'empty_body'
              : 'bad_request';
      const message =
        code === 'too_large'
          ? `The request body is too large: at most ${bodyLimitFor(req.headers['content-type'], ctx)} here.`
          : code === 'unsupported_media_type'
            ? `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json${req.url.startsWith('/articles/') ? ' or application/x-www-form-urlencoded' : ''}.`
            : err.message;
      return answer(req, reply, status, code, message);
    }
    req.log.error({ err, route: req.routeOptions.url }, 'unexpected error');
    return reply.code(500).send({ error: 'internal', message: 'Something went wrong on our side; nothing was stored. Please try again.' });
  });

  return app;
}
