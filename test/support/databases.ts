// Every database test runs on every dialect, as Kysely's own tests do: the
// embedded SQLite file always, PostgreSQL when it answers (REQUIRE_PG=1 makes
// its absence a failure). Each suite gets a database of its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'node:test';
import { PG_ADMIN_URL, pgUnavailable, requirePg } from './env.ts';

export type TestDatabase = { dialect: 'sqlite' | 'postgres'; databaseUrl: string | null; dataDir: string; drop(): Promise<void> };

export async function createTestDatabase(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-test-'));
  if (dialect === 'sqlite') return { dialect, databaseUrl: null, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  const name = `ld_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const pgReason = await pgUnavailable();
if (pgReason && requirePg) throw new Error(`REQUIRE_PG=1 but ${pgReason}`);

/** Declares `fn`'s tests once per available dialect; the PostgreSQL run is skipped with a visible reason when it is not there. */
export function forEachDialect(title: string, fn: (dialect: 'sqlite' | 'postgres') => void): void {
  describe(`${title} [sqlite]`, () => fn('sqlite'));
  if (pgReason) describe(`${title} [postgres]`, { skip: `skipped: ${pgReason}` }, () => {});
  else describe(`${title} [postgres]`, () => fn('postgres'));
}
