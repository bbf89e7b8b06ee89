// `letterdesk start`: HTTP, SMTP and background jobs in one process.
import type { Config } from '../config/index.ts';
import { createApp } from '../app.ts';

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
    ctx.log.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
