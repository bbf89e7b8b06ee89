// The desk as the intake bench runs it: `letterdesk start`'s whole process
// (HTTP, SMTP, event processors, jobs) in a child process with its own
// database, proof of work and rate limits off, plus a no-op route on the same
// server as the ceiling. Prints its URL when ready; on SIGTERM, prints how
// much background work was left and stops.
import { loadConfig } from '../src/config/index.ts';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/log/logger.ts';

const config = loadConfig({ ...process.env, LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', PORT: '0', SMTP_PORT: '0' });
const app = await createApp(config, { log: createLogger('silent') });
app.http.post('/bench/noop', async () => ({ ok: true }));
await app.start();
const addr = app.http.server.address();
console.log(`READY http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
process.on('SIGTERM', async () => {
  const db = app.ctx.db;
  const events = await db.read.selectFrom('event_queue').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const jobs = await db.read.selectFrom('jobs').select((e) => e.fn.countAll().as('n')).where('done_at', 'is', null).executeTakeFirstOrThrow();
  console.log(`LEFT events=${db.dialect.readInt(events.n)} jobs=${db.dialect.readInt(jobs.n)}`);
  await app.stop();
  process.exit(0);
});
