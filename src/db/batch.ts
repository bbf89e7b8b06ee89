// One transaction for many writes, used by the group commits (write-queue.ts)
// and the writer thread: each write's outcome is its own, a failing write
// undoes only its own changes, and work a write defers to the batch's end
// (the full-text index, intake's appended rows) runs once, just before the
// commit, for the writes that are kept.
import { sql, type Kysely, type Transaction } from 'kysely';
import { insideWrite } from './sqlite-database.ts';
import type { Database } from './schema.ts';
export type Work<T> = (trx: Transaction<Database>) => Promise<T>;
/** The most writes one transaction takes, wherever batches are formed. */
export const MAX_BATCH = 200;
/** What became of one write: its value, or why it was refused. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export type BatchOptions = {
  /** Commit with synchronous=NORMAL (the caller syncs the log itself), then restore FULL. */
  deferSync?: boolean;
  /** How a failed work's error is kept (the writer thread turns it into plain data). */
  errorOut?: (err: unknown) => unknown;
  /**
   * The works only write to the database (write commands): when one fails,
   * the batch may be rolled back and run again. The first run then needs no
   * savepoints, which cost a little each and make SQLite's full-text index
   * write out what it holds in memory at every one.
   */
  rerunnable?: boolean;
  /** Begins the transaction (the dialect's write begin, or the main thread's polite one: write-lock.ts). */
  begin: (conn: Kysely<Database>) => Promise<void>;
};

type BatchEnd = (trx: Transaction<Database>) => Promise<void>;
/** Several tables' appended rows written at once (insert-rows.ts: one statement where each is a round trip). */
export type Together = (trx: Transaction<Database>, parts: { table: string; columns: string[]; rows: unknown[] }[]) => Promise<void>;
type Appends = {
  table: string;
  key: string;
  rows: unknown[];
  first: boolean;
  flush(trx: Transaction<Database>, rows: unknown[]): Promise<void>;
  /** Plain inserts of rows of these columns: at the end, written with the other such appends through `flush`. */
  together?: { columns: string[]; flush: Together };
};
/**
 * What the work running on a connection defers to the end of its batch.
 * `careful`: the batch runs again with savepoints because a write failed;
 * then nothing is appended at the end, so that a row that fails (a key
 * already taken) fails its own write.
 */
type Deferred = { ends: BatchEnd[]; appends: Appends[]; appendsAllowed: boolean | ReadonlySet<string>; careful: boolean };
const deferredBy = new WeakMap<object, Deferred>();

/**
 * Runs `fn` after the other works of the batch the transaction `trx` belongs
 * to, just before the commit, if the work that asked is kept; outside a batch,
 * at once. For writes that are cheaper all together (the full-text index).
 * A failing batch-end work fails the whole batch: keep it to writes that
 * cannot fail for one letter's reasons.
 */
export async function atBatchEnd(trx: object, fn: BatchEnd): Promise<void> {
  const deferred = deferredBy.get(trx);
  if (deferred) deferred.ends.push(fn);
  else await fn(trx as Transaction<Database>);
}

/**
 * Said by a write that reads none of its appended rows back (intake): its
 * appends may wait for the end of the batch, where the batch's rows for one
 * table go in together, a few statements instead of one per write. Appended
 * rows may fail (a key already taken): the batch then runs again carefully,
 * each write's rows in their place, and only the write they belong to fails.
 */
export function allowAppendsAtBatchEnd(trx: object): void {
  const deferred = deferredBy.get(trx);
  if (deferred && !deferred.careful) deferred.appendsAllowed = true;
}

/**
 * Defers `rows` to the end of the batch, merged with the other kept writes'
 * rows of the same `key`, when the running write allowed it; returns false
 * (the caller inserts them now) when not. `first`: rows that others refer to
 * (letters), which go in before the rest. `together`: the rows are plain
 * inserts, which may go in with other tables' (see Together).
 */
export function appendAtBatchEnd(trx: object, table: string, key: string, rows: unknown[], flush: Appends['flush'], opts: { first?: boolean; together?: Appends['together'] } = {}): boolean {
  const deferred = deferredBy.get(trx);
  const allowed = deferred?.appendsAllowed;
  if (!allowed || (allowed !== true && !allowed.has(table))) return false;
  deferred!.appends.push({ table, key, rows, flush, first: opts.first ?? false, together: opts.together });
  return true;
}

/**
 * Writes now the rows appended to `table` that still wait for the end of
 * `trx`'s batch or round (and the rows others refer to, which go first): a
 * statement about to read or change that table's rows (a letter's thread of
 * mail, its open links, a letter read again) must find them. Outside a batch,
 * nothing waits.
 */
export async function appendedNow(trx: object, table: string): Promise<void> {
  const deferred = deferredBy.get(trx);
  const now = deferred?.appends.filter((a) => a.table === table || a.first) ?? [];
  if (!now.length) return;
  deferred!.appends = deferred!.appends.filter((a) => !now.includes(a));
  await runDeferred(trx as Transaction<Database>, [{ ends: [], appends: now, appendsAllowed: false, careful: false }]);
}

/**
 * Runs `fn` over `trx` with the rows it appends to `tables` waiting for its
 * end, where each table's rows go in together, and then the work it deferred
 * to the batch's end (atBatchEnd). For a transaction of many small writes
 * that read none of those rows back (the event processors' round: a few
 * statements for its events' rows instead of one or two each). If `fn`
 * throws, none of them is written.
 */
export async function appendingAtEnd<T>(trx: object, tables: ReadonlySet<string>, fn: () => Promise<T>): Promise<T> {
  const outer = deferredBy.get(trx);
  const own: Deferred = { ends: [], appends: [], appendsAllowed: tables, careful: false };
  deferredBy.set(trx, own);
  let value: T;
  try {
    value = await fn();
  } finally {
    if (outer) deferredBy.set(trx, outer);
    else deferredBy.delete(trx);
  }
  await runDeferred(trx as Transaction<Database>, [own]);
  return value;
}

/**
 * The kept writes' deferred work, run before the commit: each key's rows
 * together (the rows others refer to first, and the plain inserts of every
 * table at once), then the ends in order, which may read those rows (the
 * full-text index reads its letter's row).
 */
async function runDeferred(trx: Transaction<Database>, kept: Deferred[]): Promise<void> {
  const byKey = new Map<string, Appends>();
  for (const d of kept)
    for (const a of d.appends) {
      const merged = byKey.get(a.key);
      if (merged) merged.rows.push(...a.rows);
      else byKey.set(a.key, { ...a, rows: [...a.rows] });
    }
  const appends = [...byKey.values()];
  for (const a of appends.filter((x) => x.first)) await a.flush(trx, a.rows);
  const together = appends.filter((x) => !x.first && x.together);
  if (together.length) await together[0]!.together!.flush(trx, together.map((a) => ({ table: a.table, columns: a.together!.columns, rows: a.rows })));
  for (const a of appends.filter((x) => !x.first && !x.together)) await a.flush(trx, a.rows);
  for (const d of kept) for (const end of d.ends) await end(trx);
}

/**
 * Runs the works in one transaction and commits; returns each one's outcome.
 * A work that fails undoes only its own writes (a savepoint each, or for
 * rerunnable works a second run with savepoints). Throws (having rolled
 * back) only when the transaction itself fails. Used here and by the writer thread.
 */
export async function commitBatch(k: Kysely<Database>, works: Work<unknown>[], opts: BatchOptions): Promise<Outcome[]> {
  const errorOut = opts.errorOut ?? ((e: unknown) => e);
  let outcomes: Outcome[] | null = null;
  // Holding the connection: no other statement runs between the pragmas.
  await k.connection().execute((conn) => insideWrite.run(true, async () => {
    if (opts.deferSync) await sql`pragma synchronous = normal`.execute(conn);
    try {
      if (opts.rerunnable) outcomes = await inTransaction(conn, opts.begin, works, errorOut, 'first');
      outcomes ??= await inTransaction(conn, opts.begin, works, errorOut, opts.rerunnable ? 'again' : 'savepoints');
    } finally {
      // Every other write on this connection keeps committing with FULL.
      if (opts.deferSync) await sql`pragma synchronous = full`.execute(conn);
    }
  }));
  return outcomes!;
}

/**
 * How a batch runs: `first`, a rerunnable batch's first run, without
 * savepoints; `again`, its second run after a failure, with savepoints and
 * nothing appended at the end; `savepoints`, a batch of other writes.
 */
type Run = 'first' | 'again' | 'savepoints';

/** In a first run, returns null (having rolled back) when a work or an appended row fails. */
async function inTransaction(conn: Kysely<Database>, begin: (conn: Kysely<Database>) => Promise<void>, works: Work<unknown>[], errorOut: (err: unknown) => unknown, run: Run): Promise<Outcome[] | null> {
  const trx = conn as unknown as Transaction<Database>;
  const savepoints = run !== 'first';
  const outcomes: Outcome[] = [];
  const kept: Deferred[] = [];
  await begin(conn);
  try {
    for (const work of works) {
      const deferred: Deferred = { ends: [], appends: [], appendsAllowed: false, careful: run === 'again' };
      deferredBy.set(conn, deferred);
      if (savepoints) await sql`savepoint w`.execute(conn);
      try {
        outcomes.push({ ok: true, value: await work(trx) });
        if (savepoints) await sql`release savepoint w`.execute(conn);
        kept.push(deferred);
      } catch (err) {
        if (!savepoints) {
          // SQLite may have rolled back already (a full disk, say): then the
          // second run reports what is wrong.
          await sql`rollback`.execute(conn).catch(() => {});
          return null;
        }
        outcomes.push({ ok: false, error: errorOut(err) });
        await sql`rollback to savepoint w`.execute(conn);
        await sql`release savepoint w`.execute(conn);
      } finally {
        deferredBy.delete(conn);
      }
    }
    try {
      await runDeferred(trx, kept);
    } catch (err) {
      // An appended row failed in the first run: run again carefully, where it fails its own write.
      if (run !== 'first') throw err;
      await sql`rollback`.execute(conn).catch(() => {});
      return null;
    }
    await sql`commit`.execute(conn);
  } catch (err) {
    await sql`rollback`.execute(conn).catch(() => {});
    throw err;
  }
  return outcomes;
}

