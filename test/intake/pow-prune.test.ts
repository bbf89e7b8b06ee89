// Spent proof-of-work solutions are forgotten once their challenge has
// expired, so the table does not grow by a row per letter for ever; a
// solution still within its lifetime stays spent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pruneSpentPow } from '../../src/db/repositories/pow.ts';
import { spendPowSolution } from '../../src/letters/pow.ts';
import { runCommand } from '../../src/writes/commands.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';

forEachDialect('spent proof of work', (dialect) => {
  const t = suiteContext(dialect, {}, { demo: false });
  // A write command: committed by the writer thread.
  const spend = (signature: string, expiresAt: Date) => runCommand(t.ctx, spendPowSolution, { signature, expiresAt });

  test('expired solutions are pruned; live ones stay spent', async () => {
    const now = new Date();
    assert.equal(await spend('old', new Date(now.getTime() - 60_000)), true);
    assert.equal(await spend('live', new Date(now.getTime() + 60_000)), true);
    assert.equal(await spend('live', new Date(now.getTime() + 60_000)), false, 'a solution is good for one letter');
    assert.equal(await pruneSpentPow(t.ctx.db, now), 1);
    assert.equal(await spend('live', new Date(now.getTime() + 60_000)), false, 'still spent after the prune');
    const left = await t.ctx.db.read.selectFrom('pow_spent').select('signature').execute();
    assert.deepEqual(left.map((r) => r.signature), ['live']);
  });
});
