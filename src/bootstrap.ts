// Opens the desk's context: database (migrated), publication (created on a
// new database, with the demo articles unless --no-demo), logger.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { openDb } from './db/connect.ts';
import { ensurePublication, getPublication, updatePublicationDetails } from './db/repositories/publication.ts';
import { pruneSpentPow } from './db/repositories/pow.ts';
import { importArticlesJsonl } from './articles/import-jsonl.ts';
import { createLogger } from './log/logger.ts';
// Job handlers register themselves on import.
import './outbox/deliver.ts';
import './jobs/screen-letter.ts';
import './publishing/index.ts';
import './writes/all.ts';
import './smtp/startup.ts';

export const DEMO_ARTICLES = fileURLToPath(new URL('./demo/articles.jsonl', import.meta.url));

export type OpenOptions = { demo?: boolean; log?: Logger; publicationName?: string };

export async function openContext(config: Config, opts: OpenOptions = {}): Promise<AppContext & { firstStart: boolean }> {
  const log = opts.log ?? createLogger(config.logLevel);
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
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
  return { config, db, publication, log, firstStart: created };
}

/**
 * Runs `task` every `ms` (and at once when `now`) without keeping the process
 * alive; a failure is logged as `failure` and the next round runs anyway.
 * Returns the stop function.
 */
function every(ctx: AppContext, ms: number, failure: string, task: () => Promise<unknown>, now = false): () => Promise<void> {
  const run = () => void task().catch((err) => ctx.log.warn({ err: (err as Error).message }, failure));
  if (now) run();
  const timer = setInterval(run, ms);
  timer.unref();
  return async () => clearInterval(timer);
}

/**
 * Keeps this node's copy of the publication (name, address, policies) in step
 * with the database, so a settings change made through another app node
 * applies here too. Returns the stop function.
 */
export function refreshPublicationEvery(ctx: AppContext, ms: number): () => Promise<void> {
  return every(ctx, ms, 'could not refresh the publication settings', async () => {
    const pub = await getPublication(ctx.db);
    if (!pub) return;
    ctx.publication.name = pub.name;
    ctx.publication.policies = pub.policies;
    if (!ctx.config.lettersAddressFromEnv) ctx.publication.lettersAddress = pub.lettersAddress;
  });
}

/**
 * Spent proof-of-work solutions are kept only until their challenge expires
 * (30 minutes); this forgets them now and then every `ms`. Returns the stop function.
 */
export function pruneSpentPowEvery(ctx: AppContext, ms: number): () => Promise<void> {
  return every(ctx, ms, 'could not prune spent proof-of-work', () => pruneSpentPow(ctx.db, new Date()), true);
}
