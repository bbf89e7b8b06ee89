// What the test run has available. scripts/run-tests.ts probes once and
// passes the answers down; a test file run on its own probes itself.
import pg from 'pg';
import fs from 'node:fs';

export const PG_ADMIN_URL = process.env.LD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let pgProbe: Promise<string | null> | null = null;

/** null when PostgreSQL answers, else why not. */
export function pgUnavailable(): Promise<string | null> {
  if (process.env.LD_PG_AVAILABLE === '1') return Promise.resolve(null);
  if (process.env.LD_PG_AVAILABLE === '0') return Promise.resolve(process.env.LD_PG_WHY ?? 'PostgreSQL not reachable');
  pgProbe ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('select 1');
      return null;
    } catch (err) {
      return `PostgreSQL not reachable at ${PG_ADMIN_URL} (${(err as Error).message})`;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgProbe;
}

export function browserUnavailable(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  return null;
}

export const requirePg = process.env.REQUIRE_PG === '1';
export const requireBrowser = process.env.REQUIRE_BROWSER === '1';
