// Group commit for the embedded database. SQLite has one writer, and a
// durable commit costs an fsync; so writes that arrive while a commit is under
// way wait and are committed together, each in its own savepoint so that one
// failing write does not undo its neighbours. No caller hears "done" before
// the commit that holds its write is on disk.
// node:sqlite is synchronous, so an fsync inside COMMIT would stall every
// request for its duration. A batch therefore commits with
// synchronous=NORMAL and is then synced by `syncLog` off the main thread
// (see walSyncer); the next batch may commit meanwhile, and each batch's
// callers are answered once the sync that follows its commit is done.
// PostgreSQL runs each write in its own transaction: it has many connections
// and groups concurrent commits into one WAL flush itself.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

export type Work<T> = (trx: Transaction<Schema>) => Promise<T>;
export type WriteQueue = { run<T>(work: Work<T>): Promise<T> };

type Item = { work: Work<unknown>; resolve(v: unknown): void; reject(e: unknown): void; ok?: boolean; value?: unknown; error?: unknown };

const MAX_BATCH = 200;

export function directWrites(k: Kysely<Schema>): WriteQueue {
  return { run: (work) => k.transaction().execute(work) };
}

export function groupCommit(k: Kysely<Schema>, syncLog: () => Promise<void>): WriteQueue {
  const queue: Item[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length) {
        // Let the requests already under way finish their reads and join this
        // batch: without this pause each commit carried one write, because
        // the next request was still reading when the previous commit ended.
        // Under load keep gathering while the queue still grows, a few turns at
        // most: fewer, fuller commits write and sync the log fewer times.
        for (let turn = 0, seen = -1; turn < 4 && queue.length !== seen; turn++) {
          seen = queue.length;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        const batch = queue.splice(0, MAX_BATCH);
        try {
          await k.connection().execute(async (conn) => {
            await sql`pragma synchronous = normal`.execute(conn);
            try {
              await sql`begin`.execute(conn);
              try {
                for (const item of batch) {
                  await sql`savepoint w`.execute(conn);
                  try {
                    item.value = await item.work(conn as unknown as Transaction<Schema>);
                    item.ok = true;
                    await sql`release savepoint w`.execute(conn);
                  } catch (err) {
                    item.ok = false;
                    item.error = err;
                    await sql`rollback to savepoint w`.execute(conn);
                    await sql`release savepoint w`.execute(conn);
                  }
                }
                await sql`commit`.execute(conn);
              } catch (err) {
                await sql`rollback`.execute(conn).catch(() => {});
                throw err;
              }
            } finally {
              // Every other write on this connection keeps committing with FULL.
              await sql`pragma synchronous = full`.execute(conn);
            }
          });
        } catch (commitError) {
          // The commit itself failed: nothing of the batch is stored.
          for (const item of batch) {
            item.ok = false;
            item.error = commitError;
          }
          settle(batch);
          continue;
        }
        // Not awaited: the next batch may commit while this one's log is synced.
        syncLog().then(
          () => settle(batch),
          (syncError) => {
            // Committed but not known to be on disk: nobody is told "done"; a
            // retry with the same key finds the letter and gets its answer.
            for (const item of batch) {
              item.ok = false;
              item.error = syncError;
            }
            settle(batch);
          },
        );
      }
    } finally {
      running = false;
    }
  }

  function settle(batch: Item[]): void {
    for (const item of batch) (item.ok ? item.resolve(item.value) : item.reject(item.error));
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
        if (!running) void drain();
      });
    },
  };
}
