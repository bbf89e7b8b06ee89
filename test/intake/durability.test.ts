// Nothing acknowledged is ever lost: the desk is killed (SIGKILL) while
// letters pour in; every letter that got a 202 is in the database afterwards,
// exactly once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { freePort } from '../support/ports.ts';
import path from 'node:path';
import { test } from 'node:test';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';
import { openDb } from '../../src/db/connect.ts';
import { DatabaseSync } from 'node:sqlite';

forEachDialect('durability', (dialect) => {
  test('letters acknowledged before a SIGKILL are all there after it, once each', async () => {
    const db = await createTestDatabase(dialect);
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), SMTP_PORT: String(await freePort()), LETTERDESK_DATA: db.dataDir, LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', LOG_LEVEL: 'warn', ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
    const child = spawn(process.execPath, [path.resolve('src/cli/main.ts'), 'start', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('letterdesk is running') && resolve());
      child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    // An article to write about.
    const base = `http://127.0.0.1:${port}`;
    const tokenDb = await openDb({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    await tokenDb.writes.run((trx) => trx.insertInto('articles').values({ id: 'art', url: 'https://x.example.com/a', url_key: 'x.example.com/a', title: 'A', author: null, published_at: null, section: null, body: null, created_at: tokenDb.dialect.time(new Date()), updated_at: tokenDb.dialect.time(new Date()) }).execute());
    await tokenDb.close();

    const acknowledged = new Map<string, string>();
    let stop = false;
    let failures = 0;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const key = `crash-${w}-${i}`;
        try {
          const res = await fetch(`${base}/api/v1/letters`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ article: 'art', name: `W${w}`, email: `w${w}-${i}@example.com`, town: 'T', body: `Letter ${key}`, consent: true }),
          });
          const answer = await res.json();
          if (res.status === 202) acknowledged.set(key, answer.id);
          else throw new Error(`unexpected ${res.status}: ${JSON.stringify(answer)}`);
        } catch (err) {
          // The server died mid-request: this letter was never acknowledged.
          if (!stop && !String((err as Error).message).includes('fetch failed')) throw err;
          if (!stop) failures++;
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    const deadline = Date.now() + 60_000;
    while (acknowledged.size < 300 && failures === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    assert.ok(acknowledged.size >= 300, `acknowledged ${acknowledged.size} letters before the kill`);

    const after = await openDb({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, migrate: false });
    const rows = await after.read.selectFrom('letters').select(['id', 'dedupe_key']).execute();
    await after.close();
    const stored = new Map(rows.map((r) => [r.dedupe_key, r.id]));
    for (const [key, id] of acknowledged) assert.equal(stored.get(`idem:api:${key}`), id, `acknowledged ${key} is stored`);
    assert.equal(new Set(rows.map((r) => r.dedupe_key)).size, rows.length, 'no letter stored twice');
    await db.drop();
  });
});

test('the embedded database commits durably (WAL, synchronous=FULL)', async () => {
  const db = await createTestDatabase('sqlite');
  const opened = await openDb({ databaseUrl: null, dataDir: db.dataDir });
  await opened.close();
  const raw = new DatabaseSync(path.join(db.dataDir, 'letterdesk.sqlite'));
  assert.equal((raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
  raw.close();
  const { openSqlite } = await import('../../src/db/sqlite-database.ts');
  const s = openSqlite(path.join(db.dataDir, 'letterdesk.sqlite'));
  assert.equal((s.raw.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous, 2, 'FULL');
  s.raw.close();
  await db.drop();
});
