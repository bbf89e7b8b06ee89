// `letterdesk start`: HTTP, SMTP and background jobs in one process.
import type { Config } from '../config/index.ts';
import { createApp } from '../app.ts';

/** Longer than SMTP's drain and a background round together. */
const STOP_LIMIT_MS = 90_000;

export async function start(config: Config, opts: { demo: boolean }): Promise<void> {
  const app = await createApp(config, { demo: opts.demo });
  const { ctx } = app;
  const { smtp } = await app.start();

  const where = config.databaseUrl ? ctx.db.describe : `embedded database ${ctx.db.describe}`;
  console.log(`\nletterdesk is running for ${ctx.publication.name}\n  web:     ${config.publicUrl}/  (letter form: ${config.publicUrl}/articles/seed-isi-taliban/letter)\n  smtp:    ${smtp.host}:${smtp.port} (mail for ${ctx.publication.lettersAddress})\n  data:    ${where}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down: draining SMTP and HTTP, finishing background work');
    // A stop that hangs (a peer that never finishes) must not keep the process forever.
    setTimeout(() => {
      ctx.log.error({}, 'shutdown took too long; exiting');
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    await app.stop();
    ctx.log.info({}, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
