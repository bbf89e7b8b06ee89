// Letters that arrive together are written together, on both databases (the
// writer thread's batches on SQLite, pgWrites on PostgreSQL): a duplicate in
// the batch fails alone and gets the first letter, every other letter is
// stored once with its own event, queued once for its processors, which then
// acknowledge each letter once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { openContext } from '../../src/bootstrap.ts';
import type { AppContext } from '../../src/context.ts';
import { intakeLetter, type IntakeRequest } from '../../src/letters/intake.ts';
import { createLogger } from '../../src/log/logger.ts';
import { eventDispatcher } from '../../src/events/dispatcher.ts';
import { PROCESSORS } from '../../src/processors/index.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';

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
  let tdb: TestDatabase;
  let ctx: AppContext;
  before(async () => {
    tdb = await createTestDatabase(dialect);
    ctx = await openContext(loadConfig({ LETTERDESK_DATA: tdb.dataDir, ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}), LETTERDESK_RATE_LIMIT: 'off' }), { log: createLogger('silent') });
  });
  after(async () => {
    await ctx.db.close();
    await tdb.drop();
  });

  test('a duplicate among many fails alone; the others are stored whole, once each', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => intakeLetter(ctx, letter(i, i === 7 || i === 8 ? 'msg:same-message@example.org' : null))));
    const dup = results.filter((r) => r.duplicate);
    assert.equal(dup.length, 1, 'one of the two deliveries of the same message is the duplicate');
    assert.equal(dup[0]!.letter.id, results.find((r, i) => (i === 7 || i === 8) && !r.duplicate)!.letter.id);
    const count = async (table: 'letters' | 'letter_events' | 'event_queue' | 'outbox' | 'jobs') => Number((await ctx.db.read.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.deepEqual([await count('letters'), await count('letter_events'), await count('event_queue')], [29, 29, 29]);
    await eventDispatcher(ctx, PROCESSORS).drain();
    const received = Number((await ctx.db.read.selectFrom('letter_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'received').executeTakeFirstOrThrow()).n);
    // (The article's first letters also queue its insights grouping: one job, not counted here.)
    const deliveries = Number((await ctx.db.read.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'deliver_mail').executeTakeFirstOrThrow()).n);
    assert.deepEqual([received, await count('outbox'), deliveries, await count('event_queue')], [29, 29, 29, 0], 'one acknowledgement and its delivery job per letter; the queue is empty');
    const names = new Map((await ctx.db.read.selectFrom('letters').select(['id', 'name']).execute()).map((l) => [l.id, l.name]));
    results.forEach((r, i) => {
      if (!r.duplicate) assert.equal(names.get(r.letter.id), `Batch Writer ${i}`, `letter ${i} got its own letter back`);
    });
  });
});
