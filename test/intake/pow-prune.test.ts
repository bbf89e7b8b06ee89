// Spent proof-of-work solutions are forgotten once their challenge has
// expired, so the table does not grow by a row per letter for ever; a
// solution still within its lifetime stays spent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDb, type Db } from '../../src/db/connect.ts';
import { pruneSpentPow, spendPow } from '../../src/db/repositories/pow.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';

forEachDialect('spent proof of work', (dialect) => {
  let tdb: TestDatabase;
  let db: Db;
  before(async () => {
    tdb = await createTestDatabase(dialect);
    db = await openDb({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
  });
  after(async () => {
    await db.close();
    await tdb.drop();
  });

  test('expired solutions are pruned; live ones stay spent', async () => {
    const now = new Date();
    assert.equal(await spendPow(db, 'old', new Date(now.getTime() - 60_000)), true);
    assert.equal(await spendPow(db, 'live', new Date(now.getTime() + 60_000)), true);
    assert.equal(await spendPow(db, 'live', new Date(now.getTime() + 60_000)), false, 'a solution is good for one letter');
    assert.equal(await pruneSpentPow(db, now), 1);
    assert.equal(await spendPow(db, 'live', new Date(now.getTime() + 60_000)), false, 'still spent after the prune');
    const left = await db.k.selectFrom('pow_spent').select('signature').execute();
    assert.deepEqual(left.map((r) => r.signature), ['live']);
  });
});
