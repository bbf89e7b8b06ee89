// Readiness and the Prometheus scrape: the main thread's metrics, the writer
// thread's (its background work: screening, mail, webhooks, jobs, backups),
// and gauges read from the database at scrape time.
import { AggregatorRegistry, Gauge, Registry } from 'prom-client';

// prom-client's JSON form of a registry's metrics (what getMetricsAsJSON gives and aggregate takes).
type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;
import type { AppContext } from '../context.ts';
import { deskContext } from '../context.ts';
import { knownMigrations } from '../db/migrate.ts';
import { feedStatuses } from '../db/repositories/feeds.ts';
import { backlogFigures, databaseAnswers, missingMigrations } from '../db/repositories/monitoring.ts';
import { waitingToBeRead } from '../db/repositories/inbound.ts';

export type Readiness = { ready: boolean; checks: { database: string; migrations: string; background: string } };

/** The background must have finished a round within this long (it runs every half second when idle). */
const BACKGROUND_STALE_MS = 60_000;

/** Ready to take traffic: the database answers, its schema is this letterdesk's, and the background work runs. */
export async function readiness(ctx: AppContext): Promise<Readiness> {
  const checks = { database: 'ok', migrations: 'ok', background: 'ok' };
  const down = await databaseAnswers(ctx.db, 2000);
  if (down) {
    checks.database = `unreachable: ${down}`;
    checks.migrations = 'unknown';
  } else {
    const missing = await missingMigrations(ctx.db, knownMigrations()).catch((err: Error) => [`(${err.message})`]);
    if (missing.length) checks.migrations = `not applied: ${missing.join(', ')}`;
  }
  const report = ctx.db.thread ? await withTimeout(ctx.db.thread.report(deskContext(ctx)), 2000).catch(() => null) : null;
  const last = report ? Math.min(report.events ?? 0, report.jobs ?? 0) : 0;
  if (!report) checks.background = 'the writer thread does not answer';
  else if (report.events === null || report.jobs === null) checks.background = 'not running';
  else if (Date.now() - last > BACKGROUND_STALE_MS) checks.background = `no round finished for ${Math.round((Date.now() - last) / 1000)} s`;
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}

/** The Prometheus text for this node. */
export async function scrape(ctx: AppContext): Promise<{ contentType: string; text: string }> {
  const parts: MetricsJson[] = [(await ctx.metrics.registry.getMetricsAsJSON()) as MetricsJson];
  const report = ctx.db.thread ? await withTimeout(ctx.db.thread.report(deskContext(ctx)), 2000).catch(() => null) : null;
  if (report) parts.push(report.metrics as MetricsJson);
  parts.push(await databaseGauges(ctx));
  const merged = AggregatorRegistry.aggregate(parts);
  return { contentType: merged.contentType, text: await merged.metrics() };
}

/** Mail waiting to be read is counted up to this (a spool's backlog past it says enough). */
const MAIL_WAITING_COUNTED = 100_000;

async function databaseGauges(ctx: AppContext): Promise<MetricsJson> {
  const registry = new Registry();
  const registers = [registry];
  const up = new Gauge({ name: 'letterdesk_database_up', help: '1 when the database answers.', registers });
  const down = await databaseAnswers(ctx.db, 2000);
  up.set(down ? 0 : 1);
  if (!down) {
    const f = await backlogFigures(ctx.db);
    const letters = new Gauge({ name: 'letterdesk_letters', help: 'Letters on the desk by status.', labelNames: ['status'] as const, registers });
    for (const [status, n] of Object.entries(f.lettersByStatus)) letters.set({ status }, n);
    const jobs = new Gauge({ name: 'letterdesk_jobs', help: 'Background jobs: waiting (not done), due (waiting and due now), failed (gave up).', labelNames: ['state'] as const, registers });
    jobs.set({ state: 'waiting' }, f.jobs.waiting);
    jobs.set({ state: 'due' }, f.jobs.due);
    jobs.set({ state: 'failed' }, f.jobs.failed);
    new Gauge({ name: 'letterdesk_jobs_lag_seconds', help: 'How long the oldest due job has been waiting.', registers }).set(f.jobs.oldestDueSeconds);
    const events = new Gauge({ name: 'letterdesk_events', help: 'Events waiting for their processors, and events that gave up.', labelNames: ['state'] as const, registers });
    events.set({ state: 'waiting' }, f.events.waiting);
    events.set({ state: 'failed' }, f.events.failed);
    new Gauge({ name: 'letterdesk_events_lag_seconds', help: 'How long the oldest due event has been waiting.', registers }).set(f.events.oldestDueSeconds);
    const waiting = await waitingToBeRead(ctx.db, MAIL_WAITING_COUNTED);
    new Gauge({ name: 'letterdesk_mail_waiting', help: `Mail SMTP took and the desk has not read yet (counted up to ${MAIL_WAITING_COUNTED}).`, registers }).set(waiting.count);
    new Gauge({ name: 'letterdesk_mail_waiting_oldest_seconds', help: 'How long the oldest mail waiting to be read has waited (0: none waits).', registers }).set(waiting.oldestAt ? Math.max(0, (Date.now() - waiting.oldestAt.getTime()) / 1000) : 0);
    const outbox = new Gauge({ name: 'letterdesk_outbox', help: 'Outgoing mail by status.', labelNames: ['status'] as const, registers });
    for (const [status, n] of Object.entries(f.outbox)) outbox.set({ status }, n);
    // Per feed, labelled by its id (a URL may carry a password): whether its last poll failed, and since when it last succeeded.
    const failing = new Gauge({ name: 'letterdesk_feed_failing', help: 'Article feeds: 1 when the last poll failed (the error is in the desk settings).', labelNames: ['feed', 'origin'] as const, registers });
    const lastOk = new Gauge({ name: 'letterdesk_feed_last_success_timestamp_seconds', help: 'Article feeds: when a poll last succeeded (Unix time; 0 never).', labelNames: ['feed', 'origin'] as const, registers });
    for (const feed of await feedStatuses(ctx.db)) {
      failing.set({ feed: feed.id, origin: feed.origin }, feed.failing ? 1 : 0);
      lastOk.set({ feed: feed.id, origin: feed.origin }, feed.lastSuccessAt ? Math.floor(feed.lastSuccessAt.getTime() / 1000) : 0);
    }
  }
  return (await registry.getMetricsAsJSON()) as MetricsJson;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)))]).finally(() => clearTimeout(timer));
}
