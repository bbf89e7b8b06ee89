// Tests that check a query reads an index: a migrated database of their own,
// and the query's plan as each database explains it.
import type { CompiledQuery } from 'kysely';
import { openPlain, type PlainDb } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase } from './databases.ts';

/** Runs `fn` on a fresh, migrated database of `dialect`, dropped afterwards. */
export async function onMigratedDatabase(dialect: 'sqlite' | 'postgres', fn: (plain: PlainDb) => Promise<void>): Promise<void> {
  const tdb = await createTestDatabase(dialect);
  const plain = openPlain({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
  try {
    await migrateToLatest(plain.k, plain.dialect);
    await fn(plain);
  } finally {
    await plain.close();
    await tdb.drop();
  }
}

/** The plan of `q`, one line a step (PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN). */
export async function queryPlan(plain: PlainDb, q: CompiledQuery): Promise<string> {
  const explain = plain.dialect.name === 'postgres' ? 'explain' : 'explain query plan';
  const rows = (await plain.k.executeQuery<Record<string, unknown>>({ ...q, sql: `${explain} ${q.sql}` })).rows;
  return rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
}

/** What a plan says when the database sorts rows itself instead of reading them in an index's order. */
export const sortStep = (plain: PlainDb): RegExp => (plain.dialect.name === 'postgres' ? /Sort/ : /TEMP B-TREE/);
