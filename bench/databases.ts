// Each database a bench measures: the embedded one in a fresh folder, then a
// fresh PostgreSQL database on the local server (skipped, with the reason
// as a row, when the server does not answer). BENCH_DB=sqlite or postgres
// measures only that one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Row } from './mail.ts';

export async function onEachDatabase(bench: string, measure: (label: string, env: Record<string, string>) => Promise<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  const only = process.env.BENCH_DB;
  const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-bench-'));
  if (only !== 'postgres') {
    const dir = folder();
    rows.push(...(await measure('SQLite', { LETTERDESK_DATA: dir })));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (only === 'sqlite') return rows;
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `ld_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  try {
    await c.connect();
    await c.query(`create database ${name}`);
  } catch (err) {
    rows.push({ name: `${bench} PostgreSQL`, value: NaN, unit: '', note: `skipped: ${(err as Error).message}` });
    return rows;
  }
  const dir = folder();
  try {
    rows.push(...(await measure('PostgreSQL', { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`, LETTERDESK_DATA: dir })));
  } finally {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
