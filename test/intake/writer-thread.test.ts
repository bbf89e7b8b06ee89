// The embedded database's writer thread: intake's transaction runs there, and
// still nobody hears "done" before the log holding their letter is synced; a
// failing command (a duplicate) does not undo its neighbours and comes back
// as the same error the caller would see in-process; a writer that stops is
// replaced by the next write.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { openContext } from '../../src/bootstrap.ts';
import { groupCommit } from '../../src/db/write-queue.ts';
import { openDbConnection } from '../../src/db/connect.ts';
import { stopWriterThread, writerFor } from '../../src/db/writer-thread.ts';
import { listLetters } from '../../src/db/repositories/letters.ts';
import { intakeLetter, type IntakeRequest } from '../../src/letters/intake.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createTestDatabase } from '../support/databases.ts';

async function openEmbedded() {
  const tdb = await createTestDatabase('sqlite');
  const config = loadConfig({ LETTERDESK_DATA: tdb.dataDir, LETTERDESK_RATE_LIMIT: 'off' });
  const ctx = await openContext(config, { log: createLogger('silent') });
  return { tdb, ctx, file: path.join(tdb.dataDir, 'letterdesk.sqlite') };
}

function letter(n: number, extra: Partial<IntakeRequest> = {}): IntakeRequest {
  return {
    source: 'api',
    article: { id: 'seed-isi-taliban', method: 'explicit', confidence: 1 },
    writer: { name: `Writer ${n}`, email: `writer${n}@example.org`, town: 'Leeds' },
    subject: null,
    body: `Letter ${n}: a reply to the piece, in a sentence or two.`,
    consent: true,
    exclusive: false,
    pow: 'off',
    dedupeKey: null,
    actor: 'test',
    ...extra,
  };
}

const countLetters = async (ctx: Awaited<ReturnType<typeof openEmbedded>>['ctx']) =>
  Number((await ctx.db.read.selectFrom('letters').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

test('a letter is committed by the writer thread, and answered only after the log sync', async () => {
  const { tdb, ctx, file } = await openEmbedded();
  let releaseSync!: () => void;
  let syncs = 0;
  // A write queue whose log sync the test holds back, over a connection of its own to the same file.
  const conn = await openDbConnection({ databaseUrl: null, dataDir: tdb.dataDir, migrate: false });
  ctx.db = { ...ctx.db, writes: groupCommit(conn.k, () => (syncs++, new Promise<void>((r) => (releaseSync = r))), writerFor(file)) };
  let answered = false;
  const pending = intakeLetter(ctx, letter(1)).then((r) => ((answered = true), r));
  for (let i = 0; i < 200 && syncs === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(syncs, 1, 'the writer committed and the log sync began');
  assert.equal(await countLetters(ctx), 1, 'the letter is committed (by the writer, on its own connection)');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(answered, false, 'nobody is answered before the sync');
  releaseSync();
  const r = await pending;
  assert.equal(r.duplicate, false);
  const events = await ctx.db.read.selectFrom('letter_events').selectAll().where('letter_id', '=', r.letter.id).execute();
  assert.equal(events.length, 1);
  const queued = await ctx.db.read.selectFrom('event_queue').selectAll().where('event_id', '=', events[0]!.id).execute();
  assert.equal(queued.length, 1, 'the event is queued for its processors in the same transaction');
  assert.equal(r.letter.createdAt instanceof Date, true, 'the stored letter comes back across the thread boundary, dates as dates');
  await conn.db.close();
  await ctx.db.close();
  await tdb.drop();
});

test('duplicates in one batch: one letter, both callers get it; neighbours are kept', async () => {
  const { tdb, ctx } = await openEmbedded();
  const same = letter(2, { dedupeKey: 'msg:same@example.org' });
  const results = await Promise.all([intakeLetter(ctx, same), intakeLetter(ctx, same), intakeLetter(ctx, letter(3)), intakeLetter(ctx, letter(4))]);
  assert.equal(results[0]!.letter.id, results[1]!.letter.id, 'the second delivery gets the first letter');
  assert.deepEqual(
    results.map((r) => r.duplicate),
    [false, true, false, false],
  );
  assert.equal(await countLetters(ctx), 3);
  const rows = async (table: 'letter_events' | 'event_queue') => Number((await ctx.db.read.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  assert.deepEqual([await rows('letter_events'), await rows('event_queue')], [3, 3], 'one event, queued once, per stored letter; none for the duplicate');
  const found = await listLetters(ctx.db, { q: 'Letter 2 reply', limit: 10 });
  assert.deepEqual(
    found.map((l) => l.id),
    [results[0]!.letter.id],
    'the letter is found by its text once its batch is committed, and once only',
  );
  await ctx.db.close();
  await tdb.drop();
});

test('a writer thread that stops is replaced by the next write', async () => {
  const { tdb, ctx } = await openEmbedded();
  await intakeLetter(ctx, letter(5));
  await stopWriterThread();
  const r = await intakeLetter(ctx, letter(6));
  assert.equal(r.duplicate, false);
  assert.equal(await countLetters(ctx), 2);
  await ctx.db.close();
  await tdb.drop();
});

test('letters sent on separate turns, committed together by the writer, each get their own answer', async () => {
  const { tdb, ctx } = await openEmbedded();
  const pending: Promise<{ n: number; r?: Awaited<ReturnType<typeof intakeLetter>>; error?: unknown }>[] = [];
  for (let n = 10; n < 70; n++) {
    // Letter 40 repeats letter 20's message: only it is refused, as a duplicate.
    const req = letter(n, n === 20 || n === 40 ? { dedupeKey: 'msg:twice@example.org' } : {});
    pending.push(intakeLetter(ctx, req).then((r) => ({ n, r }), (error) => ({ n, error })));
    if (n % 3 === 0) await new Promise((r) => setImmediate(r));
  }
  const results = await Promise.all(pending);
  assert.equal(results.filter((x) => x.error).length, 0, 'no letter failed');
  const stored = new Map((await ctx.db.read.selectFrom('letters').select(['id', 'name']).execute()).map((l) => [l.id, l.name]));
  for (const { n, r } of results) {
    if (n === 40) {
      assert.equal(r!.duplicate, true);
      assert.equal(r!.letter.id, results.find((x) => x.n === 20)!.r!.letter.id, 'the repeat gets the first letter');
    } else assert.equal(stored.get(r!.letter.id), `Writer ${n}`, `letter ${n} got its own letter back`);
  }
  assert.equal(stored.size, 59);
  await ctx.db.close();
  await tdb.drop();
});
