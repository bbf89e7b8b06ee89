// Group commit on the embedded database: writes that arrive together share
// one commit; a failing write does not undo its neighbours; and nobody hears
// "done" before the write-ahead log holding their write has been synced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../support/databases.ts';
import { openDb } from '../../src/db/connect.ts';
import { groupCommit } from '../../src/db/write-queue.ts';

test('answers wait for the log sync; one failing write leaves the others', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  await sql`create table t (v text primary key)`.execute(db.k);
  let releaseSync!: () => void;
  let syncs = 0;
  const writes = groupCommit(db.k, () => {
    syncs++;
    return new Promise<void>((resolve) => (releaseSync = resolve));
  });
  const settled: string[] = [];
  const a = writes.run((trx) => sql`insert into t values ('a')`.execute(trx)).then(() => settled.push('a'));
  const dup = writes.run((trx) => sql`insert into t values ('a')`.execute(trx)).then(
    () => settled.push('dup ok'),
    () => settled.push('dup refused'),
  );
  const b = writes.run((trx) => sql`insert into t values ('b')`.execute(trx)).then(() => settled.push('b'));
  for (let i = 0; i < 50 && syncs === 0; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(syncs, 1, 'one commit, one sync for the three writes');
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(settled, [], 'nobody is answered before the sync');
  releaseSync();
  await Promise.all([a, dup, b]);
  assert.deepEqual(settled.sort(), ['a', 'b', 'dup refused']);
  const rows = (await sql<{ v: string }>`select v from t order by v`.execute(db.k)).rows.map((r) => r.v);
  assert.deepEqual(rows, ['a', 'b']);
  await db.close();
  await tdb.drop();
});

test('a failed sync is not reported as done', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  await sql`create table t (v text primary key)`.execute(db.k);
  const writes = groupCommit(db.k, () => Promise.reject(new Error('EIO')));
  await assert.rejects(writes.run((trx) => sql`insert into t values ('x')`.execute(trx)), /EIO/);
  await db.close();
  await tdb.drop();
});

test('the real log sync: a letter-sized write is answered and on disk', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  await sql`create table t (v text)`.execute(db.k);
  await Promise.all(Array.from({ length: 20 }, (_, i) => db.writes.run((trx) => sql`insert into t values (${'x'.repeat(1000) + i})`.execute(trx))));
  const n = (await sql<{ n: number }>`select count(*) as n from t`.execute(db.k)).rows[0]!.n;
  assert.equal(Number(n), 20);
  await db.close();
  await tdb.drop();
});
