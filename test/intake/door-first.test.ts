// The door first on PostgreSQL, as on SQLite (whose writer takes letters'
// commands before the background's writes): a background transaction of the
// writer thread waits while letters' commands are in flight, and runs anyway
// once DOOR_FIRST_MS has passed, so a steady stream of letters cannot stop
// screening.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, postgresOnly } from '../support/databases.ts';
import { DOOR_FIRST_MS, openDbConnection, openWriterDb } from '../../src/db/connect.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('on PostgreSQL the background waits for the door, for a bounded time', postgresOnly, async () => {
  const tdb = await createTestDatabase('postgres');
  const main = await openDbConnection({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
  const held: (() => void)[] = [];
  // A command that holds its transaction until the test lets it go.
  const db = openWriterDb({ key: 'door-first', databaseUrl: tdb.databaseUrl, file: null, flag: null }, async (trx) => {
    await new Promise<void>((r) => held.push(r));
    await sql`select 1`.execute(trx);
  }, () => {});
  try {
    const order: string[] = [];
    const background = () => db.writes.run(async (trx) => {
      await sql`select 1`.execute(trx);
      order.push('background');
    });

    // Nothing in flight: the background runs at once.
    await background();
    assert.deepEqual(order, ['background']);

    // A letter's command in flight: the background waits for it.
    const door = db.writes.command('any', {}, {} as never).then(() => order.push('door'));
    while (!held.length) await tick(5);
    const waiting = background();
    await tick(DOOR_FIRST_MS / 5);
    assert.deepEqual(order, ['background'], 'no background transaction while the command is in flight');
    held.shift()!();
    await Promise.all([door, waiting]);
    assert.deepEqual(order, ['background', 'door', 'background'], 'the background after the door');

    // A command that takes longer than the bound does not hold the background back past it.
    const slow = db.writes.command('any', {}, {} as never).then(() => order.push('slow door'));
    while (!held.length) await tick(5);
    const ran = await Promise.race([background().then(() => 'ran'), tick(DOOR_FIRST_MS * 20).then(() => 'held back')]);
    assert.equal(ran, 'ran', 'the background does not wait past the bound');
    assert.deepEqual(order.slice(3), ['background'], 'the background ran while the slow command was still in flight');
    held.shift()!();
    await slow;
  } finally {
    for (const r of held) r();
    await db.close();
    await main.db.close();
    await tdb.drop();
  }
});
