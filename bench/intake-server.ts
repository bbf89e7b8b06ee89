// The desk as the intake bench runs it: `letterdesk start`'s whole process
// (HTTP, SMTP, event processors, jobs) in a child process with its own
// database, proof of work and rate limits off, plus a no-op route on the same
// server as the ceiling and two routes the end-to-end bench reads. Prints its
// URL when ready; on SIGTERM, prints how much background work was left and stops.
import { loadConfig } from '../src/config/index.ts';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/log/logger.ts';
import { updatePolicies } from '../src/db/repositories/publication.ts';

const config = loadConfig({ ...process.env, LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', PORT: '0', SMTP_PORT: '0' });
const app = await createApp(config, { log: createLogger('silent') });
// BENCH_POLICIES (JSON): the publication's policies for this run, as an admin would set them.
if (process.env.BENCH_POLICIES) app.ctx.publication.policies = await updatePolicies(app.ctx.db, JSON.parse(process.env.BENCH_POLICIES));
app.http.post('/bench/noop', async () => ({ ok: true }));
// For the end-to-end bench: the events and jobs not yet done, and when each letter's screening was stored.
app.http.get('/bench/backlog', async () => {
  const { db } = app.ctx;
  const q = await db.read.selectFrom('event_queue').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  // Jobs due and not done (a grouping spaced for later is not behind).
  const j = await db.read.selectFrom('jobs').select((e) => e.fn.countAll().as('n')).where('done_at', 'is', null).where('run_at', '<=', db.dialect.time(new Date())).executeTakeFirstOrThrow();
  return { events: db.dialect.readInt(q.n), jobs: db.dialect.readInt(j.n) };
});
// The CPU time this process has used (every thread), for the end-to-end bench's cost of a letter.
app.http.get('/bench/cpu', async () => {
  const u = process.cpuUsage();
  return { ms: (u.user + u.system) / 1000 };
});
app.http.get('/bench/screened', async () => {
  const { db } = app.ctx;
  const rows = await db.read.selectFrom('letter_events').select(['letter_id', 'created_at']).where('action', '=', 'screened').execute();
  const at: Record<string, number> = {};
  for (const r of rows) if (r.letter_id) at[r.letter_id] = db.dialect.readTime(r.created_at).getTime();
  const statuses = await db.read.selectFrom('letters').select(['status', (e) => e.fn.countAll().as('n')]).groupBy('status').execute();
  return { at, statuses: Object.fromEntries(statuses.map((s) => [s.status, db.dialect.readInt(s.n)])) };
});
await app.start();
// BENCH_BACKGROUND=off: the event processors and jobs stopped, to show what they cost the door.
if (process.env.BENCH_BACKGROUND === 'off') await app.background.run({ events: null, jobs: null });
const addr = app.http.server.address();
console.log(`READY http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
process.on('SIGTERM', async () => {
  const db = app.ctx.db;
  const events = await db.read.selectFrom('event_queue').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const jobs = await db.read.selectFrom('jobs').select(['kind', (e) => e.fn.countAll().as('n')]).where('done_at', 'is', null).groupBy('kind').execute();
  console.log(`LEFT events=${db.dialect.readInt(events.n)} jobs=${jobs.map((j) => `${j.kind}:${db.dialect.readInt(j.n)}`).join(',') || 0}`);
  await app.stop();
  process.exit(0);
});
