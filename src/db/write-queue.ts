// Group commit for the embedded database. SQLite has one writer, and a
// durable commit costs an fsync; so writes that arrive while a commit is under
// way wait and are committed together, and one failing write does not undo
// its neighbours (see batch.ts). No caller hears "done" before
// the commit that holds its write is on disk.
// Two kinds of write share the queue, in order, and never wait on each
// other's lock:
// - write commands (src/writes/commands.ts) are sent to the writer thread
//   each turn, without waiting for its last answer; it commits what arrived
//   while it was busy as one batch, on its own connection (writer-thread.ts);
// - other transactions (`run`, a function over this connection) are batched
//   here, once the writer has answered everything it was sent.
// Either way the batch commits with synchronous=NORMAL, because node:sqlite
// is synchronous and an fsync inside COMMIT would stall its thread; the log is
// then synced by `syncLog` in the thread pool (see walSyncer). The next batch
// may start meanwhile, and each batch's callers are answered once the sync
// that follows its commit is done.
// PostgreSQL has many connections and syncs its own commits: `run` is a
// transaction of its own, and write commands are batched a few at once (pgWrites).
import type { Kysely } from 'kysely';
import { postgres, sqlite } from './dialect.ts';
import { commitBatch, MAX_BATCH, type Work } from './batch.ts';
import type { Database } from './schema.ts';
import { errorFromData, type Outcome, type RemoteWrite, type WriterHandle } from './writer-thread.ts';

export type { Work } from './batch.ts';
export type WriteQueue = {
  run<T>(work: Work<T>): Promise<T>;
  /** A write command: `remote` describes it for the writer thread, `local` runs it here (PostgreSQL). */
  command<T>(remote: RemoteWrite, local: Work<T>): Promise<T>;
};

type Item = { work: Work<unknown>; remote?: RemoteWrite; resolve(v: unknown): void; reject(e: unknown): void };

/** PostgreSQL batches at most this many commands, and runs at most this many batches at once. */
const PG_BATCH = 64;
const PG_BATCHES_AT_ONCE = 4;

/**
 * PostgreSQL: `run` is a transaction of its own; write commands that queue
 * while earlier ones commit share a transaction, a few batches at once on
 * their own connections. A letter's transaction was a dozen round trips,
 * each a system call and a wake-up on both sides; in a batch, intake's
 * appended rows go in together (see allowAppendsAtBatchEnd) and the batch
 * begins and commits once. Commands only write, so a batch where one fails
 * runs again with a savepoint each, as on SQLite.
 */
export function pgWrites(k: Kysely<Database>): WriteQueue {
  const queue: Item[] = [];
  let batches = 0;
  let scheduled = false;

  function pump(): void {
    scheduled = false;
    while (queue.length && batches < PG_BATCHES_AT_ONCE) {
      const batch = queue.splice(0, PG_BATCH);
      batches++;
      commitBatch(k, batch.map((i) => i.work), { rerunnable: true, dialect: postgres })
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
    command: <T>(_remote: RemoteWrite, local: Work<T>) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ work: local as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
        // After this turn: the requests under way join the batch.
        if (!scheduled && batches < PG_BATCHES_AT_ONCE) {
          scheduled = true;
          setImmediate(pump);
        }
      }),
  };
}

export function groupCommit(k: Kysely<Database>, syncLog: () => Promise<void>, writer?: WriterHandle): WriteQueue {
  const queue: Item[] = [];
  let running = false;
  /** Writer requests sent and not yet answered, and who waits for there to be none. */
  let sent = 0;
  let whenNoneSent: (() => void)[] = [];
  const sync = coalesced(syncLog);

  const forWriter = (item: Item) => Boolean(writer && item.remote);

  /** The longest run of same-kind writes at the head of the queue. */
  function takeBatch(): Item[] {
    const remote = forWriter(queue[0]!);
    let n = 1;
    while (n < queue.length && n < MAX_BATCH && forWriter(queue[n]!) === remote) n++;
    return queue.splice(0, n);
  }

  async function commitHere(batch: Item[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await commitBatch(k, batch.map((i) => i.work), { deferSync: true, dialect: sqlite });
    } catch (commitError) {
      // The commit itself failed: nothing of the batch is stored.
      return settle(batch, () => ({ ok: false, error: commitError }));
    }
    syncThenSettle(batch, (i) => outcomes[i]!);
  }

  /**
   * Not awaited: the writer thread queues what it is sent and commits
   * whatever has arrived as one batch (writer-worker.ts), so it never waits
   * for this thread, which may be busy serving requests when a batch ends.
   */
  function sendToWriter(batch: Item[]): void {
    sent++;
    writer!
      .run(batch.map((i) => i.remote!))
      .then(
        (outcomes) =>
          syncThenSettle(batch, (i) => {
            const o = outcomes[i]!;
            return o.ok ? o : { ok: false, error: errorFromData(o.error as never) };
          }),
        (commitError) => settle(batch, () => ({ ok: false, error: commitError })),
      )
      .finally(() => {
        if (--sent > 0) return;
        const waiting = whenNoneSent;
        whenNoneSent = [];
        for (const wake of waiting) wake();
      });
  }

  /**
   * Not awaited: the next batch may commit while this one's log is synced.
   * This thread syncs the writer's commits too: the writer thread is busy
   * with the next batch, and would only see its sync finish after it.
   */
  function syncThenSettle(batch: Item[], outcome: (index: number) => Outcome): void {
    sync().then(
      () => settle(batch, outcome),
      // Committed but not known to be on disk: nobody is told "done"; a
      // retry with the same key finds the letter and gets its answer.
      (syncError) => settle(batch, () => ({ ok: false, error: syncError })),
    );
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length) {
        // Let the requests already under way finish their reads and join this
        // batch: without this pause each commit carried one write, because
        // the next request was still reading when the previous commit ended.
        // Under load keep gathering while the queue still grows, a few turns at
        // most: fewer, fuller commits write and sync the log fewer times.
        // Writes for the writer thread go after one turn: it gathers what it
        // is sent while it commits.
        const turns = forWriter(queue[0]!) ? 1 : 4;
        for (let turn = 0, seen = -1; turn < turns && queue.length !== seen; turn++) {
          seen = queue.length;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (forWriter(queue[0]!)) {
          sendToWriter(takeBatch());
          continue;
        }
        // A transaction here waits until the writer thread has committed all
        // it was sent: the two never wait on each other's lock.
        if (sent > 0) await new Promise<void>((resolve) => whenNoneSent.push(resolve));
        await commitHere(takeBatch());
      }
    } finally {
      running = false;
    }
  }

  function enqueue<T>(work: Work<T>, remote?: RemoteWrite): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work: work as Work<unknown>, remote, resolve: resolve as (v: unknown) => void, reject });
      if (!running) void drain();
    });
  }

  return { run: (work) => enqueue(work), command: (remote, local) => enqueue(local, remote) };
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
