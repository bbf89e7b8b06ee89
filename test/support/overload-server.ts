// A desk in a process of its own for the overload test and bench: the whole
// app as `letterdesk start` runs it (HTTP, SMTP, event processors, jobs),
// proof of work and rate limits off, on the database the environment names.
// Prints "READY <url> <editor token> <SMTP port> <letters address>"; on SIGTERM stops as `letterdesk` does.
// Its memory is its own, so the parent can read it from /proc.
import { loadConfig } from '../../src/config/index.ts';
import { createApp } from '../../src/app.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createApiToken } from '../../src/server/auth.ts';

const config = loadConfig({ LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', LETTERDESK_MAIL_DNS: 'off', ...process.env, PORT: '0', SMTP_PORT: '0', HOST: '127.0.0.1' });
const app = await createApp(config, { log: createLogger(process.env.LOG_LEVEL ?? 'warn') });
const { smtp } = await app.start();
const { token } = await createApiToken(app.ctx, 'editor', 'overload');
const addr = app.http.server.address();
console.log(`READY http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0} ${token} ${smtp.port} ${app.ctx.publication.lettersAddress}`);
process.on('SIGTERM', async () => {
  await app.stop();
  process.exit(0);
});
