// The composition root: everything `letterdesk start` runs, built here and
// nowhere else. No part registers itself by being imported: the routes, the
// event processors (what happens after a change to a letter) and the job
// kinds are lists.
//
//   main thread    HTTP (server/http.ts: forms, API, desk, public pages),
//                  SMTP (smtp/listener.ts), reads, the desk's own writes,
//                  timers: publication settings from other nodes, the
//                  scheduled-publishing sweep, "not chosen" notices, spent
//                  proof-of-work, article feeds kept polled
//   writer thread  write commands (intake, proof of work, received mail:
//                  writes/registry.ts), and the background work that writes:
//                  the event processors (processors/index.ts) and the jobs
//                  (jobs/index.ts) — see writes/writer-worker.ts
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.ts';
import { deskContext, type AppContext } from './context.ts';
import { openContext, refreshPublication, type OpenOptions } from './bootstrap.ts';
import type { BackgroundPlan } from './db/writer-thread.ts';
import { prepareDesk } from './desk/startup.ts';
import { dkimAlignmentWarning, dkimSigning } from './outbox/dkim.ts';
import { keepFeedsPolled, prepareFeeds } from './feeds/setup.ts';
import { logLineWriter } from './log/logger.ts';
import { backupIfDue } from './operations/backups.ts';
import { mailWeeklyReport } from './insights-store/report-mail.ts';
import { applyRetention } from './operations/retention.ts';
import { foldLetterCounts } from './db/repositories/letter-counts.ts';
import { sendNotChosenNotices } from './publishing/notices.ts';
import { sweepScheduled } from './publishing/publish.ts';
import { allRoutes, buildHttpServer } from './server/http.ts';
import { startSmtpListener, type SmtpListener } from './smtp/listener.ts';
import { every, type Poller } from './util/poll.ts';

/** The background work that writes, which runs in the writer thread. */
export type Background = {
  /** Runs the event processors until no event is due; returns how many events they took. */
  drainEvents(): Promise<number>;
  /** One round of due jobs; returns how many it claimed. */
  runJobs(): Promise<number>;
  /** Runs the event processors and the jobs on their own, every so many ms (null stops one). */
  run(plan: BackgroundPlan): Promise<void>;
};

export type App = {
  ctx: AppContext;
  /** The HTTP server, built but not yet listening. */
  http: FastifyInstance;
  background: Background;
  /** Listens for HTTP and SMTP and starts the background work. */
  start(): Promise<{ smtp: SmtpListener }>;
  /** Stops everything `start` started, closes the database. */
  stop(): Promise<void>;
};

export async function createApp(config: Config, opts: OpenOptions = {}): Promise<App> {
  // A DKIM key that cannot be used stops the start here, not every mail later.
  dkimSigning(config);
  const ctx = await openContext(config, opts);
  const misaligned = dkimAlignmentWarning(config, ctx.publication.lettersAddress);
  if (misaligned) ctx.log.warn({}, misaligned);
  const http = await buildHttpServer(ctx, allRoutes(ctx));
  const thread = ctx.db.thread!;
  thread.logTo(logLineWriter(ctx.log));
  const background: Background = {
    drainEvents: () => thread.drain(deskContext(ctx), 'events'),
    runJobs: () => thread.drain(deskContext(ctx), 'jobs'),
    run: (plan) => thread.background(deskContext(ctx), plan),
  };
  const timers: Poller[] = [];
  let smtp: SmtpListener | null = null;
  // With STARTTLS, SIGHUP re-reads the certificate and key (after a renewal) instead of stopping the process.
  const reloadTls = () => {
    try {
      smtp?.reloadTls();
    } catch (err) {
      ctx.log.error({ err: { message: (err as Error).message } }, 'smtp certificate not reloaded; the old one stays');
    }
  };

  return {
    ctx,
    http,
    background,
    async start() {
      await http.listen({ port: config.port, host: config.host });
      smtp = await startSmtpListener(ctx);
      if (smtp.tls) process.on('SIGHUP', reloadTls);
      await prepareDesk(ctx, ctx.firstStart);
      await prepareFeeds(ctx);
      await background.run({ events: 200, jobs: 500 });
      const log = ctx.log;
      timers.push(
        every(
          15_000,
          async () => {
            await refreshPublication(ctx);
            await thread.setContext(deskContext(ctx));
          },
          { log, failure: 'could not refresh the publication settings' },
        ),
        every(60_000, () => logCount(ctx, 'scheduled letters published', sweepScheduled(ctx)), { log, failure: 'scheduled publishing sweep failed', now: true }),
        every(3600_000, () => sendNotChosenNotices(ctx), { log, failure: 'not-chosen notices failed' }),
        // A feed whose poll job gave up (the database was down through its retries) is polled again.
        every(600_000, () => keepFeedsPolled(ctx), { log, failure: 'could not check the article feeds are polled' }),
        // Declined letters, raw mail, tray mail, finished jobs, expired sessions and spent proof-of-work past their time (docs/privacy.md).
        every(DAY_MS, () => applyRetention(ctx), { log, failure: 'could not apply the retention policy', now: true }),
        // Checked hourly; sent once on Monday morning when WEEKLY_REPORT_MAIL is on.
        every(3600_000, () => mailWeeklyReport(ctx), { log, failure: 'could not mail the weekly report' }),
        // The queue's counters: slots of PostgreSQL connections that closed fold into one row per key, so reading them stays a few rows a key.
        every(600_000, () => foldLetterCounts(ctx.db), { log, failure: 'could not fold the queue counters', now: true }),
        // Checked hourly; taken when the newest backup in BACKUP_DIR is a day old.
        every(3600_000, () => backupIfDue(ctx), { log, failure: 'scheduled backup failed', now: true }),
      );
      return { smtp };
    },
    async stop() {
      // Drain: SMTP tells new sessions to come back later (421) and lets those
      // under way finish; HTTP answers new requests 503 and finishes those
      // under way; then the background finishes its round (its jobs done or
      // released) and the writer commits what it was given.
      process.off('SIGHUP', reloadTls);
      await Promise.all([
        smtp?.drain(SMTP_DRAIN_MS).then(() => ctx.log.info({}, 'SMTP closed'), () => {}),
        closeHttp(http).then(() => ctx.log.info({}, 'HTTP closed'), () => {}),
      ]);
      for (const t of timers.reverse()) await t.stop();
      await background.run({ events: null, jobs: null }).catch(() => {});
      ctx.log.info({}, 'background stopped');
      await ctx.db.close();
    },
  };
}

/**
 * Closes the HTTP server once the requests under way are answered. Node
 * closes the connections idle at the moment of closing, but one busy then
 * stays open after its answer until the keep-alive timeout (72 s in Fastify),
 * so those are closed as they become idle.
 */
async function closeHttp(http: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => http.server.closeIdleConnections(), 100);
  try {
    await http.close();
  } finally {
    clearInterval(sweep);
  }
}

const DAY_MS = 86_400_000;

/** How long SMTP sessions under way may take to finish when the desk stops. */
const SMTP_DRAIN_MS = 30_000;

async function logCount(ctx: AppContext, what: string, work: Promise<number>): Promise<void> {
  const n = await work;
  if (n) ctx.log.info({ count: n }, what);
}
