// Group commit on the embedded database: writes that arrive together share
// one commit; a failing write does not undo its neighbours (nor its work
// deferred to the batch's end); nobody hears "done" before the write-ahead
// log holding their write has been synced; the log is checkpointed apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../support/databases.ts';
import { openDb, openDbConnection } from '../../src/db/connect.ts';
import { allowAppendsAtBatchEnd, atBatchEnd } from '../../src/db/batch.ts';
import { sqliteQueue } from '../../src/db/write-queue.ts';
import { enqueueJobs } from '../../src/db/repositories/jobs.ts';
import type { Reader } from '../../src/db/executor.ts';

test('answers wait for the log sync; one failing write leaves the others', async () => {
  const tdb = await createTestDatabase('sqlite');
  const { db, k } = await openDbConnection({ databaseUrl: null, dataDir: tdb.dataDir });
  await db.writes.run((trx) => sql`create table t (v text primary key)`.execute(trx));
  let releaseSync!: () => void;
  let syncs = 0;
  const writes = sqliteQueue(k, {
    syncLog: () => {
      syncs++;
      return new Promise<void>((resolve) => (releaseSync = resolve));
    },
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
  const rows = (await db.writes.run((trx) => sql<{ v: string }>`select v from t order by v`.execute(trx))).rows.map((r) => r.v);
  assert.deepEqual(rows, ['a', 'b']);
  await db.close();
  await tdb.drop();
});

test('a failed sync is not reported as done', async () => {
  const tdb = await createTestDatabase('sqlite');
  const { db, k } = await openDbConnection({ databaseUrl: null, dataDir: tdb.dataDir });
  await db.writes.run((trx) => sql`create table t (v text primary key)`.execute(trx));
  const writes = sqliteQueue(k, { syncLog: () => Promise.reject(new Error('EIO')) });
  await assert.rejects(writes.run((trx) => sql`insert into t values ('x')`.execute(trx)), /EIO/);
  await db.close();
  await tdb.drop();
});

test('the real log sync: a letter-sized write is answered and on disk', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  await db.writes.run((trx) => sql`create table t (v text)`.execute(trx));
  await Promise.all(Array.from({ length: 20 }, (_, i) => db.writes.run((trx) => sql`insert into t values (${'x'.repeat(1000) + i})`.execute(trx))));
  const n = (await db.writes.run((trx) => sql<{ n: number }>`select count(*) as n from t`.execute(trx))).rows[0]!.n;
  assert.equal(Number(n), 20);
  await db.close();
  await tdb.drop();
});

test('work deferred to the end of a batch is kept only for the writes that are kept', async () => {
  const tdb = await createTestDatabase('sqlite');
  const { db, k } = await openDbConnection({ databaseUrl: null, dataDir: tdb.dataDir });
  await db.writes.run((trx) => sql`create table t (v text primary key)`.execute(trx));
  await db.writes.run((trx) => sql`create table ends (v text)`.execute(trx));
  const order: string[] = [];
  const write = (v: string, fail = false) =>
    db.writes.run(async (trx) => {
      await sql`insert into t values (${v})`.execute(trx);
      await atBatchEnd(trx, async (end) => {
        order.push(`end ${v}`);
        await sql`insert into ends values (${v})`.execute(end);
      });
      order.push(`write ${v}`);
      if (fail) throw new Error(`refused ${v}`);
    });
  const results = await Promise.allSettled([write('a'), write('b', true), write('c')]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(order, ['write a', 'write b', 'write c', 'end a', 'end c'], 'deferred work runs after every write of the batch, and not for the refused one');
  const ends = (await db.writes.run((trx) => sql<{ v: string }>`select v from ends order by v`.execute(trx))).rows.map((r) => r.v);
  assert.deepEqual(ends, ['a', 'c']);
  // Outside a batch it runs at once.
  await k.transaction().execute((trx) => atBatchEnd(trx, (end) => sql`insert into ends values ('now')`.execute(end).then(() => {})));
  assert.equal((await db.writes.run((trx) => sql<{ n: number }>`select count(*) as n from ends where v = 'now'`.execute(trx))).rows[0]!.n, 1);
  await db.close();
  await tdb.drop();
});

test('the log is checkpointed into the database file by its own thread, and starts again once copied', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  const file = path.join(tdb.dataDir, 'letterdesk.sqlite');
  await db.writes.run((trx) => sql`create table t (v text)`.execute(trx));
  const burst = (tag: string) => Promise.all(Array.from({ length: 400 }, (_, i) => db.writes.run((trx) => sql`insert into t values (${`${tag}${i}`.padEnd(2000, '.')})`.execute(trx))));
  const size = (f: string) => fs.statSync(f).size;
  /** Waits (up to 20 s: the checkpointer's thread may still be starting) until the database file holds `bytes` more and has stopped growing. */
  const copied = async (from: number, bytes: number) => {
    let last = -1;
    let still = 0;
    for (let i = 0; i < 400 && still < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const now = size(file);
      still = now >= from + bytes && now === last ? still + 1 : 0;
      last = now;
    }
    return last;
  };
  const before = size(file);
  await burst('a');
  const afterFirst = await copied(before, 400 * 2000);
  assert.ok(afterFirst > before + 400 * 2000, `the rows reached the database file while it is open (${before} → ${afterFirst} bytes)`);
  const walFirst = size(`${file}-wal`);
  await burst('b');
  await copied(afterFirst, 400 * 2000);
  const walSecond = size(`${file}-wal`);
  assert.ok(walSecond <= walFirst * 1.5, `the log was reused from its start, not grown (${walFirst} → ${walSecond} bytes)`);
  await db.close();
  await tdb.drop();
});

test('a write\'s allowed appends go in at the end of the batch, and only if the write is kept', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  const count = async (ex: Reader, kind: string) => Number((await ex.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
  const seenInside: Record<string, number> = {};
  const write = (kind: string, opts: { allow: boolean; fail?: boolean }) =>
    db.writes.run(async (trx) => {
      if (opts.allow) allowAppendsAtBatchEnd(trx);
      await enqueueJobs(db, trx, [{ kind, payload: { n: 1 } }, { kind, payload: { n: 2 } }]);
      seenInside[kind] = await count(trx, kind);
      if (opts.fail) throw new Error(`refused ${kind}`);
    });
  const results = await Promise.allSettled([write('a', { allow: true }), write('b', { allow: true, fail: true }), write('c', { allow: false }), write('d', { allow: true })]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  assert.deepEqual(seenInside, { a: 0, b: 0, c: 2, d: 0 }, 'allowed appends wait for the batch end; the others go in at once');
  assert.deepEqual([await count(db.read, 'a'), await count(db.read, 'b'), await count(db.read, 'c'), await count(db.read, 'd')], [2, 0, 2, 2], "the refused write's rows were dropped, the kept ones' stored");
  const payloads = (await db.read.selectFrom('jobs').select(['kind', 'payload']).where('kind', 'in', ['a', 'd']).orderBy('id').execute()).map((r) => `${r.kind}${db.dialect.readJson<{ n: number }>(r.payload, { n: 0 }).n}`);
  assert.deepEqual(payloads, ['a1', 'a2', 'd1', 'd2'], 'in the order they were made');
  await db.close();
  await tdb.drop();
});

test('a query on the database from inside a write fails at once instead of waiting forever', async () => {
  const tdb = await createTestDatabase('sqlite');
  const db = await openDb({ databaseUrl: null, dataDir: tdb.dataDir });
  try {
    // The write holds the only connection: a query that is not on its transaction could never run.
    await assert.rejects(
      db.writes.run(async () => db.read.selectFrom('articles').selectAll().execute()),
      /use the transaction the write was given/,
    );
    // The transaction itself, and the database after the write, work as usual.
    assert.equal((await db.writes.run((trx) => trx.selectFrom('articles').selectAll().execute())).length, 0);
    assert.equal((await db.read.selectFrom('articles').selectAll().execute()).length, 0);
  } finally {
    await db.close();
    await tdb.drop();
  }
});
