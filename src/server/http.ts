// The HTTP server: body parsers, CORS for public routes, rate limits on the
// doors in, the route table, and one error shape. Any failure that reaches
// the error handler unexpected is logged and answered 500 without details.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../context.ts';
import { registerBodyParsers } from './body-parsers.ts';
import { HttpError } from './errors.ts';
import { registerRoutes, type RouteTable } from './route.ts';
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

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/** Paths any web page may call from another origin (embeds). */
const CORS_PUBLIC = [/^\/api\/v1\/letters$/, /^\/api\/v1\/pow\/challenge$/, /^\/articles\/[^/]+\/letters$/, /^\/feeds\//];

export function allRoutes(ctx: AppContext): RouteTable {
  const routes: RouteTable = [...letterRoutes(ctx), ...articleRoutes(ctx), ...formRoutes(ctx), ...deskRoutes(ctx), ...publicRoutes(ctx), ...publishingApiRoutes(ctx), ...inboundRoutes(ctx), ...campaignRoutes(ctx), ...insightRoutes(ctx), ...reportRoutes(ctx), ...feedRoutes(ctx)];
  routes.push(...systemRoutes(ctx, () => routes));
  return routes;
}

export async function buildHttpServer(ctx: AppContext, routes: RouteTable): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
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
    errorResponseBuilder: (_req, c) => ({ statusCode: 429, error: 'rate_limited', message: `Too many requests from your network; please try again in ${Math.ceil(c.ttl / 1000)} seconds.` }),
  });

  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: 3600_000, decorateReply: false });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
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

  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.status).send({ error: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: 'rate_limited', message: err.message });
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
          ? 'The request body is too large.'
          : code === 'unsupported_media_type'
            ? `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json${req.url.startsWith('/articles/') ? ' or application/x-www-form-urlencoded' : ''}.`
            : err.message;
      return reply.code(status).send({ error: code, message });
    }
    req.log.error({ err, route: req.routeOptions.url }, 'unexpected error');
    return reply.code(500).send({ error: 'internal', message: 'Something went wrong on our side; nothing was stored. Please try again.' });
  });

  return app;
}
