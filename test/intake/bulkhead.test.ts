// The bulkhead in the main thread's PostgreSQL pool (src/db/bulkhead.ts):
// however many letters are being looked up, intake holds at most 6 of the 10
// connections, and the desk's reads get the others. Here intake's queries
// are made to wait on a lock held by another session, twelve of them, more
// than the pool has connections: a desk read is still answered, and once the
// lock goes every intake query is answered too. (SQLite reads on one
// connection in the thread that asks: there is no pool to share.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import { openDb } from '../../src/db/connect.ts';
import { asIntake } from '../../src/util/scope.ts';
import { createTestDatabase } from '../support/databases.ts';
import { pgUnavailable } from '../support/env.ts';

test('letters waiting on the database leave the desk connections to read with [postgres]', { skip: (await pgUnavailable()) ?? false }, async () => {
  const tdb = await createTestDatabase('postgres');
  const db = await openDb({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
  const holder = new pg.Client({ connectionString: tdb.databaseUrl! });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('select pg_advisory_xact_lock(42)');
    // Twelve intake lookups that wait for the lock, each on a connection while it waits.
    let intakeDone = 0;
    const intake = Array.from({ length: 12 }, () =>
      asIntake(() => db.read.selectNoFrom(sql`pg_advisory_xact_lock(42)`.as('locked')).execute()).then(() => {
        intakeDone++;
      }),
    );
    // A desk read meanwhile: answered, though intake asked for more connections than the pool has.
    const deskRead = db.read.selectNoFrom(sql<number>`1`.as('n')).executeTakeFirstOrThrow().then((r) => r.n);
    const stuck = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 20_000).unref());
    assert.equal(await Promise.race([deskRead, stuck]), 1, 'the desk read waited behind intake for every connection');
    assert.equal(intakeDone, 0, 'intake was not waiting on the lock after all');
    // /healthz's ping is a desk read too.
    await db.ping();
    await holder.query('commit');
    await Promise.all(intake);
    assert.equal(intakeDone, 12);
  } finally {
    await holder.end();
    await db.close();
    await tdb.drop();
  }
});
