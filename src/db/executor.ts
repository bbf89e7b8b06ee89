// What queries run on. Reads run on the database (`db.read`) or inside a
// write's transaction; writes run only inside a transaction that the write
// queue gives (`db.writes.run`, or a write command): the types allow nothing
// else. On the embedded database a write outside the queue would fight the
// queue for SQLite's one write lock, and the loser sleeps with the thread.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Reads: selects, and compiled selects through `executeQuery` (compiled-query.ts). */
export type Reader = Pick<Kysely<Database>, 'selectFrom' | 'selectNoFrom' | 'with' | 'fn' | 'executeQuery'>;

/** A write transaction from the write queue; reads inside a write use it too. */
export type Trx = Transaction<Database>;
