// On the embedded database two connections of this process write: the
// writer thread's (write commands, event processors, jobs) and the main
// thread's (the desk's own, rarer writes). SQLite lets one connection write
// at a time; one that asks while the other writes either sleeps in SQLite's
// busy handler, which blocks its thread, or fails at once. The writer thread
// may sleep; the main thread must not, since it serves every request. So the
// main thread raises a flag shared with the writer thread and tries without
// waiting, again after a moment while it fails; the writer thread, before
// each transaction it begins, waits while the flag is up. The main thread's
// writes are never starved by the writer's steady ones, and never block it.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** One per database file, shared by the two threads (a SharedArrayBuffer: not copied when posted). */
export type WriteFlag = Int32Array;

export function newWriteFlag(): WriteFlag {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** How long the main thread tries before it gives up and the write fails. */
const GIVE_UP_MS = 30_000;

const isBusy = (err: unknown) => /database is locked|SQLITE_BUSY/i.test(String((err as Error)?.message ?? err)) || (err as { errcode?: number })?.errcode === 5;

/** Main thread: begins a write transaction on `conn` (whose busy timeout is 0) without blocking the event loop. */
export async function beginOnMainThread(conn: Kysely<Database>, flag: WriteFlag): Promise<void> {
  Atomics.store(flag, 0, 1);
  try {
    const until = Date.now() + GIVE_UP_MS;
    for (let delay = 1; ; delay = Math.min(delay * 2, 16)) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  } finally {
    Atomics.store(flag, 0, 0);
    Atomics.notify(flag, 0);
  }
}

/** Writer thread: before beginning a transaction, lets a waiting main thread go first. */
export function yieldToMainThread(flag: WriteFlag): void {
  while (Atomics.load(flag, 0) === 1) Atomics.wait(flag, 0, 1, 50);
}
