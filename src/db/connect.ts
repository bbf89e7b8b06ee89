// Opens the database the configuration names: the embedded SQLite file in the
// data folder, or PostgreSQL when DATABASE_URL is set. Migrations run here.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { GuardedSqliteDialect, openSqlite, walSyncer } from './sqlite-database.ts';
import { postgres, sqlite, type Dialect } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';
import { groupCommit, pgWrites, type WriteQueue } from './write-queue.ts';
import { writerFor } from './writer-thread.ts';
import { checkpointerFor } from './checkpoints.ts';
import type { Database } from './schema.ts';
import type { Reader } from './executor.ts';

export type Db = {
  /** Reads. */
  read: Reader;
  /** Every write: a transaction, durable before its caller is answered (write-queue.ts). */
  writes: WriteQueue;
  /** Everything that differs between SQLite and PostgreSQL. */
  dialect: Dialect;
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
    if (opts.migrate !== false) await migrateToLatest(k, db.dialect);
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
  const { adapter } = openSqlite(file);
  const k = new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: adapter }) });
  const wal = walSyncer(file);
  const writer = writerFor(file);
  const checkpoints = checkpointerFor(file);
  // Writes outside the queue (job claims, desk actions) also grow the log.
  const idleCheckpoints = setInterval(() => checkpoints.afterCommit(), 10_000).unref();
  const syncLog = async () => {
    await wal.sync();
    checkpoints.afterCommit();
  };
  const db: Db = {
    read: k,
    writes: groupCommit(k, syncLog, writer),
    dialect: sqlite,
    ping: pinger(k),
    describe: file,
    close: async () => {
      clearInterval(idleCheckpoints);
      await writer.close();
      await checkpoints.close();
      await k.destroy();
      wal.close();
    },
  };
  return { db, k };
}

/**
 * The writer thread's own connection to an embedded database (already
 * migrated by the app). Its commands receive their transaction; starting
 * another write from inside one is a mistake, and says so.
 */
export function openWriterConnection(file: string): { db: Db; k: Kysely<Database> } {
  const { adapter, raw } = openSqlite(file);
  // It only ever commits batches whose log the main thread syncs before
  // anyone is answered (write-queue.ts): as durable as FULL.
  raw.exec('PRAGMA synchronous = NORMAL');
  const k = new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: adapter }) });
  const nested = () => Promise.reject(new Error('a write command cannot start another write; use the transaction it was given'));
  return { db: { read: k, writes: { run: nested, command: nested }, dialect: sqlite, ping: pinger(k), describe: file, close: () => k.destroy() }, k };
}

function openPostgres(url: string, poolSize = 10): { db: Db; k: Kysely<Database> } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const k = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  const db: Db = { read: k, writes: pgWrites(k), dialect: postgres, ping: pinger(k), describe: `postgres://${u.host}${u.pathname}`, close: () => k.destroy() };
  return { db, k };
}
