// `letterdesk start`: HTTP, SMTP and background jobs in one process.
import type { Config } from '../config/index.ts';
import { openContext, pruneSpentPowEvery, refreshPublicationEvery } from '../bootstrap.ts';
import { buildServer } from '../server/app.ts';
import { startJobRunner } from '../jobs/runner.ts';
import { startupHooks } from './startup-hooks.ts';

export async function start(config: Config, opts: { demo: boolean }): Promise<void> {
  const ctx = await openContext(config, { demo: opts.demo });
  const app = await buildServer(ctx);
  await app.listen({ port: config.port, host: config.host });
  const stoppers: (() => Promise<void>)[] = [];
  for (const hook of startupHooks) stoppers.push(await hook(ctx, { firstStart: ctx.firstStart }));
  const runner = startJobRunner(ctx);
  stoppers.push(refreshPublicationEvery(ctx, 15_000));
  stoppers.push(pruneSpentPowEvery(ctx, 3600_000));

  const where = config.databaseUrl ? ctx.db.describe : `embedded database ${ctx.db.describe}`;
  console.log(`\nletterdesk is running for ${ctx.publication.name}\n  web:     ${config.publicUrl}/  (letter form: ${config.publicUrl}/articles/seed-isi-taliban/letter)\n  smtp:    ${config.smtpHost}:${config.smtpPort} (mail for ${ctx.publication.lettersAddress})\n  data:    ${where}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down');
    await app.close().catch(() => {});
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    await runner.stop();
    await ctx.db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
