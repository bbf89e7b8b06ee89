// What every part of the running desk shares: configuration, the database,
// the publication and the logger.
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import type { Db } from './db/connect.ts';
import type { Publication } from './db/repositories/publication.ts';
import type { DeskContext } from './db/writer-thread.ts';

export type AppContext = {
  config: Config;
  db: Db;
  publication: Publication;
  log: Logger;
};

/** What the writer thread needs of this node's view of the desk, sent with each request to it (it may change). */
export function deskContext(ctx: AppContext): DeskContext {
  return { config: ctx.config, publication: ctx.publication, logLevel: ctx.log.level };
}
