// The transactional outbox, on both databases: an event recorded with a change
// is processed by every processor that handles it, exactly once, even when
// two dispatchers (two app nodes) drain the same queue; a processor that fails
// is undone alone and retried later, and gives up after its last attempt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { openContext } from '../../src/bootstrap.ts';
import type { AppContext } from '../../src/context.ts';
import { enqueueJob } from '../../src/db/repositories/jobs.ts';
import { insertRows } from '../../src/db/insert-rows.ts';
import { PROCESSED_ACTIONS, recordEvent } from '../../src/db/repositories/events.ts';
import { PROCESSORS } from '../../src/processors/index.ts';
import { eventDispatcher, MAX_ATTEMPTS } from '../../src/events/dispatcher.ts';
import type { Processor } from '../../src/events/processor.ts';
import { createLogger } from '../../src/log/logger.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';

/** A processor whose work is a job row naming the event, so what it did is counted in the database. */
function marking(name: string, on: string[], fail?: (eventId: string) => boolean): Processor & { calls: number } {
  const p = {
    name,
    on,
    calls: 0,
    async process(ctx: AppContext, trx: Parameters<Processor['process']>[1], event: Parameters<Processor['process']>[2]) {
      p.calls++;
      await enqueueJob(ctx.db, trx, `mark_${name}`, { event: event.id }, new Date(Date.now() + 3600_000));
      if (fail?.(event.id)) throw new Error(`${name} failed on purpose`);
    },
  };
  return p;
}

test('exactly the actions some processor handles are queued', () => {
  // A processor of an action left out would never run; an action no processor handles would fill rounds for nothing.
  assert.deepEqual([...new Set(PROCESSORS.flatMap((p) => p.on))].sort(), [...PROCESSED_ACTIONS].sort());
});

forEachDialect('event processors', (dialect) => {
  const t = suiteContext(dialect);

  const marks = async (name: string) => Number((await t.ctx.db.read.selectFrom('jobs').select((e) => e.fn.countAll().as('n')).where('kind', '=', `mark_${name}`).executeTakeFirstOrThrow()).n);
  const distinctMarks = async (name: string) =>
    new Set((await t.ctx.db.read.selectFrom('jobs').select('payload').where('kind', '=', `mark_${name}`).execute()).map((r) => t.ctx.db.dialect.readJson<{ event: string }>(r.payload, { event: '' }).event)).size;
  const queued = async () => t.ctx.db.read.selectFrom('event_queue').selectAll().execute();
  const record = (action: string, n: number) => t.ctx.db.writes.run(async (trx) => {
    // The test's own actions: queued although no processor of the desk's handles them.
    for (let i = 0; i < n; i++) await recordEvent(t.ctx.db, trx, { letterId: null, actor: 'test', action }, true);
  });
  const allDue = () => t.ctx.db.writes.run((trx) => trx.updateTable('event_queue').set({ run_at: t.ctx.db.dialect.time(new Date(Date.now() - 1000)) }).execute());

  test('every processor that handles an event runs once, in order; others do not; the queue empties', async () => {
    const order: string[] = [];
    const a = { ...marking('a', ['one']) };
    const b = marking('b', ['one', 'two']);
    const c = marking('c', ['three']);
    const trace = (p: Processor & { calls: number }): Processor => ({ ...p, process: async (x, trx, e) => (order.push(`${p.name}:${e.action}`), p.process(x, trx, e)) });
    await record('one', 3);
    await record('two', 2);
    await eventDispatcher(t.ctx, [trace(a), trace(b), trace(c)]).drain();
    assert.deepEqual([await marks('a'), await marks('b'), await marks('c')], [3, 5, 0]);
    assert.deepEqual(order.slice(0, 2), ['a:one', 'b:one'], 'processors run in the order listed');
    assert.equal((await queued()).length, 0);
  });

  test('a failing processor is undone alone, retried later for itself only, then gives up', async () => {
    const ok = marking('ok', ['flaky']);
    // It fails in the first round (which runs twice: as a whole, then again with a savepoint around each processor).
    let failures = 2;
    const flaky = marking('flaky', ['flaky'], () => failures-- > 0);
    const rolledBack: string[] = [];
    const dispatcher = eventDispatcher(t.ctx, [ok, { ...flaky, process: flaky.process, onRollback: () => void rolledBack.push('flaky') }]);
    await record('flaky', 1);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(await marks('ok'), 1, "the other processor's work stands");
    assert.equal(await marks('flaky'), 0, "the failing processor's work is undone");
    assert.deepEqual(rolledBack, ['flaky', 'flaky'], 'told of each rollback');
    const [row] = await queued();
    assert.equal(t.ctx.db.dialect.readInt(row!.attempts), 1);
    assert.deepEqual(t.ctx.db.dialect.readJson(row!.done, []), ['ok']);
    assert.match(row!.last_error ?? '', /flaky failed on purpose/);
    assert.equal(await dispatcher.runOnce(), 0, 'not before its retry time');
    await allDue();
    await dispatcher.drain();
    assert.deepEqual([await marks('ok'), await marks('flaky')], [1, 1], 'the retry ran the failed processor only');
    assert.equal((await queued()).length, 0);

    const never = marking('never', ['never'], () => true);
    const giveUp = eventDispatcher(t.ctx, [never]);
    await record('never', 1);
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await allDue();
      await giveUp.runOnce();
    }
    assert.equal(never.calls, 2 * MAX_ATTEMPTS, 'each attempt: the round as a whole, then with savepoints');
    const [dead] = await queued();
    assert.ok(dead!.failed_at, 'kept, marked failed, no longer run');
    await t.ctx.db.writes.run((trx) => trx.deleteFrom('event_queue').execute());
  });

  test("a row that fails at the round's end fails its own processor's event only", async () => {
    // The processors' rows go in together at the end of a round: a job whose
    // id is taken (by the first event's) fails there, and the round runs
    // again, each processor's rows in their place, where only the second
    // event's processor fails.
    const beside = marking('beside', ['clash']);
    const clashing: Processor = {
      name: 'clashing',
      on: ['clash'],
      process: (x, trx) => insertRows(x.db, trx, 'jobs', [{ id: `clash-${dialect}`, kind: 'mark_clashing', payload: x.db.dialect.json({}), run_at: x.db.dialect.time(new Date(Date.now() + 3600_000)), attempts: 0, max_attempts: 1, locked_until: null, done_at: null, last_error: null, created_at: x.db.dialect.time(new Date()) }]),
    };
    await record('clash', 2);
    assert.equal(await eventDispatcher(t.ctx, [beside, clashing]).runOnce(), 2);
    assert.deepEqual([await marks('beside'), await marks('clashing')], [2, 1], 'both events marked by the other processor; one clashing job');
    const left = await queued();
    assert.equal(left.length, 1, 'the event whose row failed stays queued');
    assert.deepEqual(t.ctx.db.dialect.readJson(left[0]!.done, []), ['beside']);
    assert.ok(left[0]!.last_error, 'with the error');
    await t.ctx.db.writes.run((trx) => trx.deleteFrom('event_queue').execute());
  });

  test('two dispatchers draining one queue process each event once', async () => {
    await record('busy', 300);
    const first = marking('busy', ['busy']);
    const second = marking('busy', ['busy']);
    // A second node on PostgreSQL (its own pool); the embedded database is one node, whose rounds may still overlap.
    const other = t.db.databaseUrl ? await openContext(loadConfig({ LETTERDESK_DATA: t.db.dataDir, DATABASE_URL: t.db.databaseUrl }), { log: createLogger('silent') }) : t.ctx;
    try {
      await Promise.all([eventDispatcher(t.ctx, [first]).drain(), eventDispatcher(other, [second]).drain()]);
    } finally {
      if (other !== t.ctx) await other.db.close();
    }
    assert.equal(first.calls + second.calls, 300);
    assert.equal(await marks('busy'), 300);
    assert.equal(await distinctMarks('busy'), 300);
    assert.equal((await queued()).length, 0);
  });

  test('a processor not ready yet: its events wait without an attempt counted, the others run; draining waits for it', async () => {
    const other = marking('other', ['slow']);
    const slow = marking('slow', ['slow']);
    let ready = false;
    let becomeReady!: () => void;
    const readyNow = new Promise<void>((resolve) => (becomeReady = resolve));
    const dispatcher = eventDispatcher(t.ctx, [other, { ...slow, process: slow.process, ready: () => (ready ? true : readyNow) }]);
    await record('slow', 2);
    assert.equal(await dispatcher.runOnce(), 2);
    assert.equal(await marks('other'), 2, 'the ready processor ran');
    assert.equal(await marks('slow'), 0);
    const rows = await queued();
    assert.equal(rows.length, 2, 'the events wait in the queue');
    for (const row of rows) assert.equal(t.ctx.db.dialect.readInt(row.attempts), 0, 'no attempt counted');
    assert.equal(await dispatcher.runOnce(), 0, 'not due again at once');
    await allDue();
    const drained = dispatcher.drain();
    ready = true;
    becomeReady();
    await drained;
    assert.deepEqual([await marks('other'), await marks('slow')], [2, 2], 'each ran once');
    assert.equal((await queued()).length, 0);
  });
});
