// Opens the database the configuration names: the embedded SQLite file in the
// data folder, or PostgreSQL when DATABASE_URL is set. Migrations run here.
// The main thread reads, runs its own (rarer) writes, and sends write
// commands to the writer thread (writer-thread.ts), which opens its side of
// the same database with openWriterDb.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import Cursor from 'pg-cursor';
import { GuardedSqliteDialect, openSqlite, walSyncer } from './sqlite-database.ts';
import { postgres, sqlite, type Dialect } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';
import { postgresQueue, sqliteQueue, type Work } from './write-queue.ts';
import { writerThread, type DbRef, type DeskContext, type WriterThread } from './writer-thread.ts';
import { beginOnMainThread, newWriteFlag, yieldToMainThread } from './write-lock.ts';
import { checkpointerFor } from './checkpoints.ts';
import type { Database } from './schema.ts';
import type { Reader, Trx } from './executor.ts';

export type WriteQueue = {
  /** A transaction of this work on this thread's connection; resolves once durable. */
  run<T>(work: Work<T>): Promise<T>;
  /** A named write command (writes/commands.ts), run by the writer thread; resolves once durable. */
  command<T>(name: string, args: unknown, context: DeskContext): Promise<T>;
};

export type Db = {
  /** Reads. */
  read: Reader;
  /** Every write: a transaction, durable before its caller is answered (write-queue.ts). */
  writes: WriteQueue;
  /** Everything that differs between SQLite and PostgreSQL. */
  dialect: Dialect;
  /** The writer thread's side of this database (null inside the writer thread). */
  thread: WriterThread | null;
  /** Whether the database answers. */
  ping(): Promise<void>;
  /** Where the data lives, for messages (never contains a password). */
  describe: string;
  close(): Promise<void>;
};

export type OpenOptions = { databaseUrl: string | null; dataDir: string; migrate?: boolean; poolSize?: number };

export async function openDb(opts: OpenOptions): Promise<Db> {
  return (await openDbConnection(opts)).db;
}

/**
 * The database and the Kysely instance under it, which bypasses the write
 * queue: for the write queue's own tests and for benches that fill tables in bulk.
 */
export async function openDbConnection(opts: OpenOptions): Promise<{ db: Db; k: Kysely<Database> }> {
  const { db, k } = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : openEmbedded(opts.dataDir);
  try {
    await db.ping();
    if (opts.migrate !== false) {
      await migrateToLatest(k, db.dialect);
      await db.dialect.repairLetterSearch(k);
    }
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return { db, k };
}

const pinger = (k: Kysely<Database>) => async () => void (await sql`select 1`.execute(k));

function openEmbedded(dataDir: string): { db: Db; k: Kysely<Database> } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'letterdesk.sqlite');
  const { adapter, raw } = openSqlite(file);
  // This connection never waits for SQLite's write lock in the busy handler,
  // which would block the event loop: write-lock.ts takes turns politely.
  raw.exec('PRAGMA busy_timeout = 0');
  const k = new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: adapter }) });
  const wal = walSyncer(file);
  const flag = newWriteFlag();
  const thread = writerThread({ key: file, databaseUrl: null, file, flag });
  // Whichever thread committed, the log is copied into the database file soon
  // after, by a thread of its own (checkpoints.ts); quiet times too.
  const checkpoints = checkpointerFor(file);
  thread.onCommitted(() => checkpoints.afterCommit());
  const idleCheckpoints = setInterval(() => checkpoints.afterCommit(), 10_000).unref();
  const queue = sqliteQueue(k, {
    syncLog: async () => {
      await wal.sync();
      checkpoints.afterCommit();
    },
    begin: (conn) => beginOnMainThread(conn, flag),
  });
  const db: Db = {
    read: k,
    writes: { run: queue.run, command: (name, args, context) => thread.command(name, args, context) },
    dialect: sqlite,
    thread,
    ping: pinger(k),
    describe: file,
    close: async () => {
      clearInterval(idleCheckpoints);
      await thread.close();
      await checkpoints.close();
      await k.destroy();
      wal.close();
    },
  };
  return { db, k };
}

function openPostgres(url: string, poolSize = 10): { db: Db; k: Kysely<Database> } {
  const k = postgresKysely(url, poolSize);
  const u = new URL(url);
  const thread = writerThread({ key: url, databaseUrl: url, file: null, flag: null });
  const queue = postgresQueue(k);
  const db: Db = {
    read: k,
    writes: { run: queue.run, command: (name, args, context) => thread.command(name, args, context) },
    dialect: postgres,
    thread,
    ping: pinger(k),
    describe: `postgres://${u.host}${u.pathname}`,
    close: async () => {
      await thread.close();
      await k.destroy();
    },
  };
  return { db, k };
}

/** A Kysely over a pool of `poolSize`. */
function postgresKysely(url: string, poolSize: number): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A connection lost (the database restarted, the network cut) must not
  // crash the process: the pool listens for an idle client's error, and a
  // client in use reports it to its query, but it also emits it, and an
  // unheard error event is thrown. The pool drops such a client on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // No JIT: the desk's statements are small, and on a table whose statistics
    // lag a burst of letters the planner's estimates pass JIT's threshold, which
    // then spent 100–400 ms compiling a statement that runs in a few. Set here,
    // not as a startup option, which connection poolers refuse; queued before
    // the client's first query. A server without JIT (before 11) refuses it: no matter.
    client.query('set jit = off').catch(() => {});
  });
  // The cursor lets a query stream its rows (archives read whole tables).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
}

/** A database opened plainly, without migrations, writer thread or write queue: for archives (backup, restore, migrate). */
export type PlainDb = { k: Kysely<any>; dialect: Dialect; describe: string; close(): Promise<void> };

export function openPlain(opts: { databaseUrl: string | null; dataDir: string }): PlainDb {
  if (opts.databaseUrl) {
    const k = postgresKysely(opts.databaseUrl, 2);
    const u = new URL(opts.databaseUrl);
    return { k, dialect: postgres, describe: `postgres://${u.host}${u.pathname}`, close: () => k.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, 'letterdesk.sqlite');
  const { adapter } = openSqlite(file);
  const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: adapter }) });
  return { k, dialect: sqlite, describe: file, close: () => k.destroy() };
}

/** Runs a named command's body in a transaction (the writer thread's registry lookup). */
export type CommandRunner = (trx: Trx, name: string, args: unknown, context: DeskContext) => Promise<unknown>;

/**
 * The writer thread's side of a database the main thread opened (and
 * migrated): its connection (SQLite) or pool (PostgreSQL), and a write queue
 * over it that runs commands itself. `committed` tells the main thread that
 * the log grew (its checkpointer copies it into the database file).
 */
export function openWriterDb(ref: DbRef, runCommand: CommandRunner, committed: () => void): Db {
  if (ref.databaseUrl) {
    // Write commands have connections of their own: a client waits for them,
    // and the background's transactions must not take every connection.
    const k = postgresKysely(ref.databaseUrl, 6);
    const forCommands = postgresKysely(ref.databaseUrl, 4);
    const queue = postgresQueue(k);
    const commands = postgresQueue(forCommands);
    return {
      read: k,
      writes: { run: queue.run, command: (name, args, context) => commands.batch((trx) => runCommand(trx, name, args, context)) as never },
      dialect: postgres,
      thread: null,
      ping: pinger(k),
      describe: ref.key,
      close: async () => {
        await forCommands.destroy();
        await k.destroy();
      },
    };
  }
  const file = ref.file!;
  const { adapter } = openSqlite(file);
  const k = new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: adapter }) });
  const wal = walSyncer(file);
  const flag = ref.flag!;
  const queue = sqliteQueue(k, {
    syncLog: async () => {
      await wal.sync();
      committed();
    },
    begin: async (conn) => {
      yieldToMainThread(flag);
      await sqlite.beginWrite.execute(conn);
    },
  });
  return {
    read: k,
    writes: { run: queue.run, command: (name, args, context) => queue.batch((trx) => runCommand(trx, name, args, context)) as never },
    dialect: sqlite,
    thread: null,
    ping: pinger(k),
    describe: file,
    close: async () => {
      await k.destroy();
      wal.close();
    },
  };
}
