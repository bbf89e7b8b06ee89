// Letters that arrive together are written together, on both databases (the
// writer thread's batches on SQLite, pgWrites on PostgreSQL): a duplicate in
// the batch fails alone and gets the first letter, every other letter is
// stored once with its own event, queued once for its processors, which then
// acknowledge each letter once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { intakeLetter, type IntakeRequest } from '../../src/letters/intake.ts';
import { eventDispatcher } from '../../src/events/dispatcher.ts';
import { PROCESSORS } from '../../src/processors/index.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';

const letter = (n: number, dedupeKey: string | null = null): IntakeRequest => ({
  source: 'api',
  article: { id: 'seed-isi-taliban', method: 'explicit', confidence: 1 },
  writer: { name: `Batch Writer ${n}`, email: `batch${n}@example.org`, town: 'Hull' },
  subject: null,
  body: `Batch letter ${n}, about the piece.`,
  consent: true,
  exclusive: false,
  pow: 'off',
  dedupeKey,
  actor: 'test',
});

forEachDialect('letters written together', (dialect) => {
  const t = suiteContext(dialect, { LETTERDESK_RATE_LIMIT: 'off' });

  test('a duplicate among many fails alone; the others are stored whole, once each', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => intakeLetter(t.ctx, letter(i, i === 7 || i === 8 ? 'msg:same-message@example.org' : null))));
    const dup = results.filter((r) => r.duplicate);
    assert.equal(dup.length, 1, 'one of the two deliveries of the same message is the duplicate');
    assert.equal(dup[0]!.letter.id, results.find((r, i) => (i === 7 || i === 8) && !r.duplicate)!.letter.id);
    const count = async (table: 'letters' | 'letter_events' | 'event_queue' | 'outbox' | 'jobs') => Number((await t.ctx.db.read.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.deepEqual([await count('letters'), await count('letter_events'), await count('event_queue')], [29, 29, 29]);
    await eventDispatcher(t.ctx, PROCESSORS).drain();
    const received = Number((await t.ctx.db.read.selectFrom('letter_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'received').executeTakeFirstOrThrow()).n);
    // (The article's first letters also queue its insights grouping: one job, not counted here.)
    const deliveries = Number((await t.ctx.db.read.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'deliver_mail').executeTakeFirstOrThrow()).n);
    assert.deepEqual([received, await count('outbox'), deliveries, await count('event_queue')], [29, 29, 29, 0], 'one acknowledgement and its delivery job per letter; the queue is empty');
    const names = new Map((await t.ctx.db.read.selectFrom('letters').select(['id', 'name']).execute()).map((l) => [l.id, l.name]));
    results.forEach((r, i) => {
      if (!r.duplicate) assert.equal(names.get(r.letter.id), `Batch Writer ${i}`, `letter ${i} got its own letter back`);
    });
  });

  test("one address several times in a batch is one writer, whose name and town follow the latest letter", async () => {
    const from = (n: number, town: string | null): IntakeRequest => ({ ...letter(100 + n), writer: { name: `Same Writer ${n}`, email: n % 2 ? 'Same.Writer@example.org' : 'same.writer@example.org', town } });
    const first = await Promise.all([from(0, 'Leeds'), from(1, null), from(2, 'York'), from(3, null)].map((r) => intakeLetter(t.ctx, r)));
    const writers = await t.ctx.db.read.selectFrom('writers').select(['id', 'name', 'town']).where('email_key', '=', 'same.writer@example.org').execute();
    assert.equal(writers.length, 1, 'one writer for the address, however it is written');
    assert.deepEqual([writers[0]!.name, writers[0]!.town], ['Same Writer 3', 'York'], 'the latest name; the latest town given');
    const ids = await t.ctx.db.read.selectFrom('letters').select('writer_id').where('id', 'in', first.map((r) => r.letter.id)).execute();
    assert.deepEqual(ids.map((r) => r.writer_id), [writers[0]!.id, writers[0]!.id, writers[0]!.id, writers[0]!.id]);
    // A later batch finds the writer and updates it.
    await Promise.all([from(4, null), from(5, 'Hull')].map((r) => intakeLetter(t.ctx, r)));
    const after = await t.ctx.db.read.selectFrom('writers').select(['id', 'name', 'town']).where('email_key', '=', 'same.writer@example.org').execute();
    assert.deepEqual(after.map((w) => ({ ...w })), [{ id: writers[0]!.id, name: 'Same Writer 5', town: 'Hull' }]);
  });

  test('two requests with one idempotency key at once: one letter, the second gets its answer', async () => {
    const keyed = (n: number): IntakeRequest => ({ ...letter(200 + n), dedupeKey: 'idem:same-key', idempotency: { key: 'same-key', requestHash: 'h' } });
    const results = await Promise.all([keyed(0), letter(210), keyed(1), letter(211)].map((r) => intakeLetter(t.ctx, r)));
    // Either of the two may be stored first (on PostgreSQL, batches commit side by side): the other is its duplicate.
    assert.deepEqual([results[1]!.duplicate, results[3]!.duplicate, results[0]!.duplicate !== results[2]!.duplicate], [false, false, true], 'one of the two requests with the key is a duplicate');
    assert.equal(results[2]!.letter.id, results[0]!.letter.id);
    const stored = await t.ctx.db.read.selectFrom('letters').select('id').where('id', 'in', results.map((r) => r.letter.id)).execute();
    assert.equal(stored.length, 3, 'the letters beside the race are stored too');
  });

  test('a letter by mail among web letters keeps its place: the writer follows the latest, the rows follow the ids', async () => {
    const from = (n: number, name: string, mail: boolean): IntakeRequest => ({
      ...letter(300 + n),
      source: mail ? 'email' : 'api',
      writer: { name, email: 'mixed@example.org', town: null },
      // A message already stored, settled with its letter.
      ...(mail ? { inbound: { id: `message-${n}`, reason: 'a letter', spamScore: null } } : {}),
    });
    const results = await Promise.all([from(0, 'Web Name', false), from(1, 'Mail Name', true), from(2, 'Second Web Name', false), from(3, 'Last Mail Name', true)].map((r) => intakeLetter(t.ctx, r)));
    const writer = await t.ctx.db.read.selectFrom('writers').select('name').where('email_key', '=', 'mixed@example.org').executeTakeFirstOrThrow();
    assert.equal(writer.name, 'Last Mail Name', 'the name of the latest letter');
    if (dialect === 'sqlite') {
      // The search walks letters by rowid as the order of their ids (listLetters).
      const rows = await t.ctx.db.read.selectFrom('letters').select('id').where('id', 'in', results.map((r) => r.letter.id)).orderBy(sql`rowid`).execute();
      assert.deepEqual(rows.map((r) => r.id), results.map((r) => r.letter.id), 'stored in the order of their ids');
    }
  });
});
