// The composition root: everything `letterdesk start` runs, built here and
// nowhere else. No part registers itself by being imported: the routes, the
// event processors (what happens after a change to a letter) and the job
// kinds are lists, passed in below.
//
//   HTTP    the routes (server/http.ts: forms, API, desk, public pages)
//   SMTP    mail for the letters address (smtp/listener.ts)
//   events  the processors of queued letter events (processors/index.ts)
//   jobs    mail delivery, webhooks, scheduled publishing (jobs/index.ts)
//   timers  publication settings from other nodes, scheduled publishing
//           sweep, "not chosen" notices, spent proof-of-work
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { openContext, refreshPublication, type OpenOptions } from './bootstrap.ts';
import { pruneSpentPow } from './db/repositories/pow.ts';
import { prepareDesk } from './desk/startup.ts';
import { eventDispatcher, type Dispatcher } from './events/dispatcher.ts';
import { JOBS } from './jobs/index.ts';
import { jobRunner, type JobRunner } from './jobs/runner.ts';
import { PROCESSORS } from './processors/index.ts';
import { sendNotChosenNotices } from './publishing/notices.ts';
import { sweepScheduled } from './publishing/publish.ts';
import { allRoutes, buildHttpServer } from './server/http.ts';
import { startSmtpListener, type SmtpListener } from './smtp/listener.ts';
import { every, type Poller } from './util/poll.ts';

export type App = {
  ctx: AppContext;
  /** The HTTP server, built but not yet listening. */
  http: FastifyInstance;
  events: Dispatcher;
  jobs: JobRunner;
  /** Listens for HTTP and SMTP and starts the background work. */
  start(): Promise<{ smtp: SmtpListener }>;
  /** Stops everything `start` started, closes the database. */
  stop(): Promise<void>;
};

export async function createApp(config: Config, opts: OpenOptions = {}): Promise<App> {
  const ctx = await openContext(config, opts);
  const http = await buildHttpServer(ctx, allRoutes(ctx));
  const events = eventDispatcher(ctx, PROCESSORS);
  const jobs = jobRunner(ctx, JOBS);
  const running: Poller[] = [];
  let smtp: SmtpListener | null = null;

  return {
    ctx,
    http,
    events,
    jobs,
    async start() {
      await http.listen({ port: config.port, host: config.host });
      smtp = await startSmtpListener(ctx);
      await prepareDesk(ctx, ctx.firstStart);
      const log = ctx.log;
      running.push(
        events.start(),
        jobs.start(),
        every(15_000, () => refreshPublication(ctx), { log, failure: 'could not refresh the publication settings' }),
        every(60_000, () => logCount(ctx, 'scheduled letters published', sweepScheduled(ctx)), { log, failure: 'scheduled publishing sweep failed', now: true }),
        every(3600_000, () => sendNotChosenNotices(ctx), { log, failure: 'not-chosen notices failed' }),
        // Spent proof-of-work solutions are kept only until their challenge expires (30 minutes).
        every(3600_000, () => pruneSpentPow(ctx.db, new Date()), { log, failure: 'could not prune spent proof-of-work', now: true }),
      );
      return { smtp };
    },
    async stop() {
      await http.close().catch(() => {});
      await smtp?.close().catch(() => {});
      for (const p of running.reverse()) await p.stop();
      await ctx.db.close();
    },
  };
}

async function logCount(ctx: AppContext, what: string, work: Promise<number>): Promise<void> {
  const n = await work;
  if (n) ctx.log.info({ count: n }, what);
}
