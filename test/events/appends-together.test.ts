// Plain appended rows of several tables go in together at a round's end
// (insert-rows.ts): past one statement's parameters they go in several,
// parents before their children, on both databases.
// 5,462 events: 6 × 5,462 = 32,772 parameters for letter_events (fits), and
// as many for event_queue, past 65,535: the queue's rows, written apart, must
// follow their events'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendingAtEnd } from '../../src/db/batch.ts';
import { recordEvent } from '../../src/db/repositories/events.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';

forEachDialect('appended rows past the joint statement’s parameter budget', (dialect) => {
  const t = suiteContext(dialect);

  test('events and their queue rows, appended at a round’s end, all go in (parents before children)', async () => {
    const n = 5462;
    await t.ctx.db.writes.run((trx) =>
      appendingAtEnd(trx, new Set(['letter_events', 'event_queue']), async () => {
        for (let i = 0; i < n; i++) await recordEvent(t.ctx.db, trx, { letterId: null, actor: 'test', action: 'received' }, true);
      }),
    );
    const count = async (table: 'letter_events' | 'event_queue') =>
      Number((await t.ctx.db.read.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await count('letter_events'), n);
    assert.equal(await count('event_queue'), n);
  });
});
