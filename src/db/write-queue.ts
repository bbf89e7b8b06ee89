// Every write is a transaction taken from a write queue, and its caller hears
// "done" only once the transaction is durable. A queue over one connection
// has two kinds of write:
// - `run`: a transaction of one piece of work (a function over the
//   transaction), batched with others that arrive meanwhile, each undoing only
//   its own changes if it fails (a savepoint each, see batch.ts);
// - `batch`: the body of a write command (writes/commands.ts), which only
//   writes: a batch of them runs without savepoints and, when one fails, runs
//   again with them.
// Which connection a write command runs on is the database's choice
// (connect.ts): the writer thread's.
//
// SQLite has one writer and a durable commit costs an fsync, so writes that
// arrive while a commit is under way wait and are committed together (group
// commit). node:sqlite is synchronous: a batch commits with
// synchronous=NORMAL and the write-ahead log is then synced in libuv's
// thread pool (walSyncer), as durable as FULL; the next batch may commit
// meanwhile, and nobody is answered before the sync that follows their commit.
// PostgreSQL has many connections and syncs its own commits: a `run` is a
// transaction of its own, and write commands that queue while earlier ones
// commit share a transaction, a few batches at once.
import type { Kysely } from 'kysely';
import { commitBatch, MAX_BATCH, type Outcome, type Work } from './batch.ts';
import { postgres, sqlite } from './dialect.ts';
import type { Database } from './schema.ts';

export type { Work } from './batch.ts';

/** The writes of one connection. */
export type LocalQueue = {
  run<T>(work: Work<T>): Promise<T>;
  /** A write command's body: it only writes, so a batch of them needs no savepoints unless one fails. */
  batch<T>(work: Work<T>): Promise<T>;
};

type Item = { work: Work<unknown>; rerunnable: boolean; resolve(v: unknown): void; reject(e: unknown): void };

const postgresBegin = (conn: Kysely<Database>) => postgres.beginWrite.execute(conn).then(() => {});

/** PostgreSQL batches at most this many commands, and runs at most this many batches at once. */
const PG_BATCH = 64;
const PG_BATCHES_AT_ONCE = 4;

/**
 * PostgreSQL: `run` is a transaction of its own; write commands that queue
 * while earlier ones commit share a transaction, a few batches at once on
 * their own connections. A letter's transaction was a dozen round trips; in
 * a batch, intake's appended rows go in together (allowAppendsAtBatchEnd)
 * and the batch begins and commits once.
 */
export function postgresQueue(k: Kysely<Database>): LocalQueue {
  const queue: Item[] = [];
  let batches = 0;
  let scheduled = false;

  function pump(): void {
    scheduled = false;
    while (queue.length && batches < PG_BATCHES_AT_ONCE) {
      const batch = queue.splice(0, PG_BATCH);
      batches++;
      commitBatch(k, batch.map((i) => i.work), { rerunnable: true, begin: postgresBegin })
        .then(
          (outcomes) => settle(batch, (i) => outcomes[i]!),
          (commitError) => settle(batch, () => ({ ok: false, error: commitError })),
        )
        .finally(() => {
          batches--;
          pump();
        });
    }
  }

  return {
    run: (work) => k.transaction().execute(work),
    batch: <T>(work: Work<T>) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<unknown>, rerunnable: true, resolve: resolve as (v: unknown) => void, reject });
        // After this turn: the requests under way join the batch.
        if (!scheduled && batches < PG_BATCHES_AT_ONCE) {
          scheduled = true;
          setImmediate(pump);
        }
      }),
  };
}

/**
 * SQLite: group commit over one connection. `syncLog` makes the committed
 * log durable; `begin` begins each transaction when the connection must share
 * SQLite's write lock politely (write-lock.ts).
 */
export function sqliteQueue(k: Kysely<Database>, opts: { syncLog: () => Promise<void>; begin?: (conn: Kysely<Database>) => Promise<void> }): LocalQueue {
  const begin = opts.begin ?? ((conn: Kysely<Database>) => sqlite.beginWrite.execute(conn).then(() => {}));
  const queue: Item[] = [];
  let running = false;
  const sync = coalesced(opts.syncLog);

  /**
   * The next batch: the write commands waiting, if any (they answer clients
   * who wait, while the other writes are mostly background work), else the
   * longest run of other writes at the head of the queue.
   */
  function takeBatch(): Item[] {
    const commands = queue.filter((i) => i.rerunnable).slice(0, MAX_BATCH);
    if (commands.length) {
      const taken = new Set(commands);
      queue.splice(0, queue.length, ...queue.filter((i) => !taken.has(i)));
      return commands;
    }
    let n = 1;
    while (n < queue.length && n < MAX_BATCH && !queue[n]!.rerunnable) n++;
    return queue.splice(0, n);
  }

  async function commit(batch: Item[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await commitBatch(k, batch.map((i) => i.work), { deferSync: true, rerunnable: batch[0]!.rerunnable, begin });
    } catch (commitError) {
      // The commit itself failed: nothing of the batch is stored.
      return settle(batch, () => ({ ok: false, error: commitError }));
    }
    // Not awaited: the next batch may commit while this one's log is synced.
    sync().then(
      () => settle(batch, (i) => outcomes[i]!),
      // Committed but not known to be on disk: nobody is told "done"; a
      // retry with the same key finds the letter and gets its answer.
      (syncError) => settle(batch, () => ({ ok: false, error: syncError })),
    );
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length) {
        // Let the writes already under way (a request still reading, a
        // message still arriving) join this batch: without this pause each
        // commit carried one write. Under load keep gathering while the queue
        // still grows, a few turns at most: fewer, fuller commits write and
        // sync the log fewer times.
        for (let turn = 0, seen = -1; turn < 4 && queue.length !== seen; turn++) {
          seen = queue.length;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await commit(takeBatch());
      }
    } finally {
      running = false;
    }
  }

  function enqueue<T>(work: Work<T>, rerunnable: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work: work as Work<unknown>, rerunnable, resolve: resolve as (v: unknown) => void, reject });
      if (!running) void drain();
    });
  }

  return { run: (work) => enqueue(work, false), batch: (work) => enqueue(work, true) };
}

/** Tells each caller of a batch its own outcome. */
function settle(batch: Item[], outcome: (index: number) => Outcome): void {
  batch.forEach((item, i) => {
    const o = outcome(i);
    if (o.ok) item.resolve(o.value);
    else item.reject(o.error);
  });
}

/**
 * Log syncs shared by the commits that finish close together: a caller gets
 * a sync that began after it asked (one under way may have begun before its
 * commit), and all who ask while one runs share the next.
 */
function coalesced(syncLog: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const sync = (): Promise<void> => {
    if (!current) {
      current = syncLog().finally(() => {
        current = null;
      });
      return current;
    }
    next ??= current
      .catch(() => {})
      .then(() => {
        next = null;
        return sync();
      });
    return next;
  };
  return sync;
}
