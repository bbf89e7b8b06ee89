// Adapts node:sqlite's DatabaseSync to the interface Kysely's SqliteDialect
// expects (better-sqlite3's shape), with a small prepared-statement cache:
// Kysely prepares every query anew, which costs more than the query itself.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SqliteDialect, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';

const CACHE_SIZE = 200;

export function openSqlite(file: string): { adapter: SqliteDatabase; raw: DatabaseSync } {
  const raw = new DatabaseSync(file);
  // WAL with synchronous=FULL: a commit is on disk (WAL fsynced) before we
  // answer, so an acknowledged letter survives a crash of the process or machine.
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
  // A group commit's batch dirties a few megabytes of pages: room for them in
  // the cache (the default is 2 MB), and savepoints' undo copies kept in
  // memory rather than a temporary file. In isolation this made a letter's
  // statements in a savepoint about a third cheaper; the intake bench did not
  // move measurably.
  raw.exec('PRAGMA cache_size = -65536');
  raw.exec('PRAGMA temp_store = MEMORY');
  // Checkpoints run in a thread of their own (checkpoints.ts), not inside
  // whichever commit happens to grow the log past 1,000 pages.
  raw.exec('PRAGMA wal_autocheckpoint = 0');
  // Other processes (the CLI while the server runs) wait instead of failing.
  raw.exec('PRAGMA busy_timeout = 10000');
  const cache = new Map<string, SqliteStatement>();

  const prepare = (sql: string): SqliteStatement => {
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt: StatementSync = raw.prepare(sql);
    const wrapped: SqliteStatement = {
      reader: stmt.columns().length > 0,
      all: (params) => stmt.all(...(params as never[])),
      run: (params) => stmt.run(...(params as never[])),
      iterate: (params) => stmt.iterate(...(params as never[])) as IterableIterator<unknown>,
    };
    cache.set(sql, wrapped);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return wrapped;
  };

  return { adapter: { prepare, close: () => raw.close() }, raw };
}

/**
 * fsync of the database's write-ahead log, run in libuv's thread pool so the
 * event loop keeps serving requests while the disk works. A batch committed
 * with synchronous=NORMAL and then synced here is as durable as one committed
 * with synchronous=FULL (which fsyncs the same file, but on this thread);
 * checkpoints still sync the log before copying it into the database file.
 */
export function walSyncer(file: string): { sync(): Promise<void>; close(): void } {
  const walPath = `${file}-wal`;
  let fd: number | null = null;
  let ino = -1;
  const open = () => {
    const st = fs.statSync(walPath, { throwIfNoEntry: false });
    if (!st) return null;
    if (fd !== null && st.ino === ino) return fd;
    if (fd !== null) fs.closeSync(fd);
    fd = fs.openSync(walPath, 'r');
    ino = fs.fstatSync(fd).ino;
    // A log file that was just created must also be findable after a crash.
    const dir = fs.openSync(path.dirname(walPath), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    return fd;
  };
  return {
    sync() {
      const f = open();
      if (f === null) return Promise.resolve();
      return new Promise<void>((resolve, reject) => fs.fsync(f, (err) => (err ? reject(err) : resolve())));
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

/** Set while a write holds a connection (batch.ts): the code inside must use the transaction it was given. */
export const insideWrite = new AsyncLocalStorage<true>();

/**
 * Kysely's SQLite dialect over one connection, which a transaction holds
 * until it ends. A query on the database itself (not the transaction) from
 * inside a write on the same connection would wait for it forever: this one
 * fails at once instead, naming the mistake.
 */
export class GuardedSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = () => {
      if (insideWrite.getStore()) return Promise.reject(new Error('a query on the database from inside a write on the same connection would wait forever: use the transaction the write was given'));
      return acquire();
    };
    return driver;
  }
}
