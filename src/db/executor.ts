import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Anything queries can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
