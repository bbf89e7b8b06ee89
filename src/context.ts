// What every part of the running desk shares: configuration, the database,
// the publication and the logger.
import type { Logger } from 'pino';
import type { Config } from './config/index.ts';
import type { Db } from './db/connect.ts';
import type { Publication } from './db/repositories/publication.ts';

export type AppContext = {
  config: Config;
  db: Db;
  publication: Publication;
  log: Logger;
};
