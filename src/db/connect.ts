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

export type Db = {
  k: Kysely<Database>;
  /** Everything that differs between SQLite and PostgreSQL. */
  dialect: Dialect;
  /** Multi-statement writes that must be durable before the caller answers. */
  writes: WriteQueue;
  /** Where the data lives, for messages (never contains a password). */
  describe: string;
  close(): Promise<void>;
};

export type OpenOptions = { databaseUrl: string | null; dataDir: string; migrate?: boolean; poolSize?: number };

export async function openDb(opts: OpenOptions): Promise<Db> {
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : openEmbedded(opts.dataDir);
  try {
    await sql`select 1`.execute(db.k);
    if (opts.migrate !== false) await migrateToLatest(db.k, db.dialect);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}

function openEmbedded(dataDir: string): Db {
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
  return {
    k,
    dialect: sqlite,
    writes: groupCommit(k, syncLog, writer),
    describe: file,
    close: async () => {
      clearInterval(idleCheckpoints);
      await writer.close();
      await checkpoints.close();
      await k.destroy();
      wal.close();
    },
  };
}

/**
 * The writer thread's own connection to an embedded database (already
 * migrated by the app). Its commands receive their transaction; starting
 * another write from inside one is a mistake, and says so.
 */
export function openWriterConnection(file: string): Db {
  const { adapter, raw } = openSqlite(file);
  // It only ever commits batches whose log the main thread syncs before
  // anyone is answered (write-queue.ts): as durable as FULL.
  raw.exec('PRAGMA synchronous = NORMAL');
  const k = new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: adapter }) });
  const nested = () => Promise.reject(new Error('a write command cannot start another write; use the transaction it was given'));
  return { k, dialect: sqlite, writes: { run: nested, command: nested }, describe: file, close: () => k.destroy() };
}

function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const k = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return { k, dialect: postgres, writes: pgWrites(k), describe: `postgres://${u.host}${u.pathname}`, close: () => k.destroy() };
}
