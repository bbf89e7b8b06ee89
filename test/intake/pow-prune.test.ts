// Spent proof-of-work solutions are forgotten once their challenge has
// expired, so the table does not grow by a row per letter for ever; a
// solution still within its lifetime stays spent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { openContext } from '../../src/bootstrap.ts';
import type { AppContext } from '../../src/context.ts';
import { pruneSpentPow } from '../../src/db/repositories/pow.ts';
import { spendPowSolution } from '../../src/letters/pow.ts';
import { runCommand } from '../../src/writes/commands.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';

forEachDialect('spent proof of work', (dialect) => {
  let tdb: TestDatabase;
  let ctx: AppContext;
  before(async () => {
    tdb = await createTestDatabase(dialect);
    ctx = await openContext(loadConfig({ LETTERDESK_DATA: tdb.dataDir, ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) }), { log: createLogger('silent'), demo: false });
  });
  after(async () => {
    await ctx.db.close();
    await tdb.drop();
  });
  // A write command: committed by the writer thread.
  const spend = (signature: string, expiresAt: Date) => runCommand(ctx, spendPowSolution, { signature, expiresAt });

  test('expired solutions are pruned; live ones stay spent', async () => {
    const now = new Date();
    assert.equal(await spend('old', new Date(now.getTime() - 60_000)), true);
    assert.equal(await spend('live', new Date(now.getTime() + 60_000)), true);
    assert.equal(await spend('live', new Date(now.getTime() + 60_000)), false, 'a solution is good for one letter');
    assert.equal(await pruneSpentPow(ctx.db, now), 1);
    assert.equal(await spend('live', new Date(now.getTime() + 60_000)), false, 'still spent after the prune');
    const left = await ctx.db.read.selectFrom('pow_spent').select('signature').execute();
    assert.deepEqual(left.map((r) => r.signature), ['live']);
  });
});
