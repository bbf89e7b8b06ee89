// Opens the desk's context: database (migrated), publication (created on a
// new database, with the demo articles unless --no-demo), logger. Every
// command starts here; `letterdesk start` then builds the app (src/app.ts).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { openDb } from './db/connect.ts';
import { ensurePublication, getPublication, updatePublicationDetails } from './db/repositories/publication.ts';
import { importArticlesJsonl } from './articles/import-jsonl.ts';
import { createLogger } from './log/logger.ts';
import { createMetrics } from './metrics/metrics.ts';

export const DEMO_ARTICLES = fileURLToPath(new URL('./demo/articles.jsonl', import.meta.url));

export type OpenOptions = { demo?: boolean; log?: Logger; publicationName?: string };

export async function openContext(config: Config, opts: OpenOptions = {}): Promise<AppContext & { firstStart: boolean }> {
  const log = opts.log ?? createLogger(config.logLevel);
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const { publication, created } = await ensurePublication(db, {
    name: opts.publicationName ?? process.env.PUBLICATION_NAME ?? 'The Example Review',
    lettersAddress: config.lettersAddress,
    secret: config.secret,
  });
  if (created && opts.demo !== false) {
    const report = await importArticlesJsonl(db, DEMO_ARTICLES);
    log.info({ articles: report.created }, 'demo articles added');
  }
  if (config.lettersAddressFromEnv && publication.lettersAddress !== config.lettersAddress) {
    await updatePublicationDetails(db, { lettersAddress: config.lettersAddress });
    publication.lettersAddress = config.lettersAddress;
  }
  return { config, db, publication, log, metrics: createMetrics({ process: true }), firstStart: created };
}

/**
 * Brings this node's copy of the publication (name, address, policies) in
 * step with the database, so that a settings change made through another
 * app node applies here too (the app runs this every 15 seconds).
 */
export async function refreshPublication(ctx: AppContext): Promise<void> {
  const pub = await getPublication(ctx.db);
  if (!pub) return;
  ctx.publication.name = pub.name;
  ctx.publication.policies = pub.policies;
  if (!ctx.config.lettersAddressFromEnv) ctx.publication.lettersAddress = pub.lettersAddress;
}
