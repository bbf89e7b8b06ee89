// The desk as the intake bench runs it: a child process with its own
// database, proof of work and rate limits off, plus a no-op route on the same
// server as the ceiling. Prints its URL when ready.
import { loadConfig } from '../src/config/index.ts';
import { openContext } from '../src/bootstrap.ts';
import { buildServer } from '../src/server/app.ts';
import { createLogger } from '../src/log/logger.ts';

const config = loadConfig({ ...process.env, LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', PORT: '0' });
const ctx = await openContext(config, { log: createLogger('silent') });
const app = await buildServer(ctx);
app.post('/bench/noop', async () => ({ ok: true }));
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
console.log(`READY http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
process.on('SIGTERM', async () => {
  await app.close();
  await ctx.db.close();
  process.exit(0);
});
