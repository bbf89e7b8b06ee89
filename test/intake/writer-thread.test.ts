// The writer thread: intake's transaction runs there, on a connection of its
// own, and each caller gets its own outcome back across the thread boundary;
// a failing command (a duplicate) does not undo its neighbours and comes back
// as the same error the caller would see in-process; a writer that stops is
// replaced by the next write; the main thread's own writes take turns with
// the writer's without ever blocking the event loop.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.ts';
import { openContext } from '../../src/bootstrap.ts';
import { stopWriterThread } from '../../src/db/writer-thread.ts';
import { listLetters } from '../../src/db/repositories/letters.ts';
import { intakeLetter, type IntakeRequest } from '../../src/letters/intake.ts';
import { spendPowSolution } from '../../src/letters/pow.ts';
import { createLogger } from '../../src/log/logger.ts';
import { runCommand, writeCommand } from '../../src/writes/commands.ts';
import { createTestDatabase } from '../support/databases.ts';
import { Busy } from '../../src/util/busy.ts';

async function openEmbedded() {
  const tdb = await createTestDatabase('sqlite');
  const config = loadConfig({ LETTERDESK_DATA: tdb.dataDir, LETTERDESK_RATE_LIMIT: 'off' });
  const ctx = await openContext(config, { log: createLogger('silent') });
  return { tdb, ctx };
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

test('a letter is committed by the writer thread, its event queued in the same transaction', async () => {
  const { tdb, ctx } = await openEmbedded();
  const r = await intakeLetter(ctx, letter(1));
  assert.equal(r.duplicate, false);
  assert.equal(await countLetters(ctx), 1, 'committed, and visible to the main thread once answered');
  const events = await ctx.db.read.selectFrom('letter_events').selectAll().where('letter_id', '=', r.letter.id).execute();
  assert.equal(events.length, 1);
  const queued = await ctx.db.read.selectFrom('event_queue').selectAll().where('event_id', '=', events[0]!.id).execute();
  assert.equal(queued.length, 1, 'the event is queued for its processors in the same transaction');
  assert.equal(r.letter.createdAt instanceof Date, true, 'the stored letter comes back across the thread boundary, dates as dates');
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

test('the settings changed between writes of one turn: every write is done, in order, and the writer takes the next', async () => {
  const { tdb, ctx } = await openEmbedded();
  // An editor saves the publication's settings while writes arrive: that turn's writes
  // go to the writer thread in two messages, one per view of the desk, and then nothing is left to send.
  const expiresAt = new Date(Date.now() + 60_000);
  const first = runCommand(ctx, spendPowSolution, { signature: 'sig-1', expiresAt });
  ctx.publication = { ...ctx.publication };
  const then = [runCommand(ctx, spendPowSolution, { signature: 'sig-2', expiresAt }), runCommand(ctx, spendPowSolution, { signature: 'sig-1', expiresAt })];
  assert.deepEqual(await Promise.all([first, ...then]), [true, true, false], 'each spent once, in the order sent');
  // Turns after it: the writer still takes writes (a turn sent twice over threw in a timer, out of any caller's reach, and took the process down).
  await new Promise((resolve) => setImmediate(resolve));
  await intakeLetter(ctx, letter(1));
  assert.equal(await countLetters(ctx), 1);
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

test('arguments that are not plain data are refused before they cross to the writer thread', async () => {
  const { tdb, ctx } = await openEmbedded();
  const echo = writeCommand('test.echo', async (_ctx, _trx, args: unknown) => args);
  await assert.rejects(runCommand(ctx, echo, { when: new Map() }), /args\.when is a Map/);
  await assert.rejects(runCommand(ctx, echo, { call: () => 1 }), /args\.call is a function/);
  await ctx.db.close();
  await tdb.drop();
});

test("the main thread's writes take turns with the writer thread's without blocking the event loop", async () => {
  const { tdb, ctx } = await openEmbedded();
  await ctx.db.writes.run((trx) => sql`create table turns (n integer)`.execute(trx));
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // The writer thread commits letters continuously while the main thread writes too.
  // 600 at once is past what the write queue lets wait (util/admission.ts): a
  // letter refused for now is sent again when the refusal says, as a client would.
  const submit = async (i: number) => {
    for (;;) {
      try {
        return await intakeLetter(ctx, letter(100 + i));
      } catch (err) {
        if (!(err instanceof Busy)) throw err;
        await new Promise((r) => setTimeout(r, err.retryAfterSeconds * 1000));
      }
    }
  };
  const letters = Promise.all(Array.from({ length: 600 }, (_, i) => submit(i)));
  const own = Promise.all(Array.from({ length: 60 }, (_, i) => new Promise((r) => setTimeout(r, i * 5)).then(() => ctx.db.writes.run((trx) => sql`insert into turns values (${i})`.execute(trx)))));
  await Promise.all([letters, own]);
  delay.disable();
  assert.equal(await countLetters(ctx), 600);
  const turns = await ctx.db.writes.run((trx) => sql<{ n: number }>`select count(*) as n from turns`.execute(trx));
  assert.equal(Number(turns.rows[0]!.n), 60, "every main-thread write went in");
  // Sleeping in SQLite's busy handler would hold the loop for seconds; a busy machine, for a few ms.
  const maxMs = delay.max / 1e6;
  assert.ok(maxMs < 1000, `the event loop was never held up waiting for the lock (longest delay ${maxMs.toFixed(1)} ms)`);
  await ctx.db.close();
  await tdb.drop();
});

test('every write command in the source is known to the writer thread by name', async () => {
  const { COMMAND_NAMES } = await import('../../src/writes/registry.ts');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const defined: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/\bwriteCommand\(\s*'([^']+)'/g)) defined.push(m[1]!);
    }
  };
  walk(new URL('../../src/', import.meta.url).pathname);
  assert.ok(defined.length >= 3, `found the commands (${defined.join(', ')})`);
  assert.deepEqual([...defined].sort(), [...COMMAND_NAMES].sort());
});
