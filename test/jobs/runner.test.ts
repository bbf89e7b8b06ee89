// The job runner: a slow job (a webhook's receiver, the mail relay, a
// grouping waiting for the analysis worker) holds its own place only; the
// other jobs due go on around it, and in the background so do jobs that
// arrive after it began.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enqueueJob } from '../../src/db/repositories/jobs.ts';
import type { AppContext } from '../../src/context.ts';
import { jobRunner } from '../../src/jobs/runner.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';

/** A job that starts, then waits until released; `finished` once it has. */
function slowJob() {
  let started!: () => void;
  const whenStarted = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const state = { finished: false };
  const handler = async () => {
    started();
    await released;
    state.finished = true;
  };
  return { handler, whenStarted, release, state };
}

/** The suite's context with a database that refuses writes while `refuse()` says so, and a log that keeps its errors. */
function refusingWrites(ctx: AppContext, refuse: () => boolean) {
  const { db } = ctx;
  const writes = {
    ...db.writes,
    run: ((work: Parameters<typeof db.writes.run>[0]) => (refuse() ? Promise.reject(new Error('connection reset')) : db.writes.run(work))) as typeof db.writes.run,
  };
  const errors: unknown[] = [];
  const log = { child: () => log, error: (o: unknown) => errors.push(o), warn: () => {}, info: () => {}, debug: () => {} };
  return { ctx: { ...ctx, db: { ...db, writes }, log } as unknown as AppContext, errors };
}

forEachDialect('job runner', (dialect) => {
  const t = suiteContext(dialect);

  test('a slow job holds one place: the jobs due behind it run meanwhile', async () => {
    let release!: () => void;
    const slowDone = new Promise<void>((resolve) => (release = resolve));
    const fastRun: string[] = [];
    let allFast!: () => void;
    const fastDone = new Promise<void>((resolve) => (allFast = resolve));
    const FAST = 30;
    const runner = jobRunner(t.ctx, {
      slow: () => slowDone,
      fast: async (_ctx, payload) => {
        fastRun.push(String(payload.n));
        if (fastRun.length === FAST) allFast();
      },
    });
    const past = new Date(Date.now() - 60_000);
    await t.ctx.db.writes.run(async (trx) => {
      // The slow job is the oldest due: it is claimed first.
      await enqueueJob(t.ctx.db, trx, 'slow', {}, new Date(past.getTime() - 1000));
      for (let n = 0; n < FAST; n++) await enqueueJob(t.ctx.db, trx, 'fast', { n }, past);
    });
    const round = runner.runOnce();
    const first = await Promise.race([fastDone.then(() => 'fast jobs done'), new Promise((r) => setTimeout(() => r('fast jobs still waiting'), 10_000))]);
    assert.equal(first, 'fast jobs done', `${fastRun.length} of ${FAST} fast jobs ran while the slow one held its place`);
    release();
    assert.equal(await round, FAST + 1);
    const left = await t.ctx.db.read.selectFrom('jobs').select((e) => e.fn.countAll().as('n')).where('done_at', 'is', null).executeTakeFirstOrThrow();
    assert.equal(t.ctx.db.dialect.readInt(left.n), 0);
  });

  test('in the background, jobs that arrive while a slow one runs are not held back by it; stopping waits for the slow one', async () => {
    const slow = slowJob();
    let fastRan!: () => void;
    const fastDone = new Promise<void>((resolve) => (fastRan = resolve));
    const runner = jobRunner(t.ctx, { slow: slow.handler, fast: async () => fastRan() });
    await t.ctx.db.writes.run((trx) => enqueueJob(t.ctx.db, trx, 'slow', {}));
    const background = runner.start({ intervalMs: 20 });
    try {
      await slow.whenStarted;
      // Nothing else was due when the slow job was claimed: this one comes after.
      await t.ctx.db.writes.run((trx) => enqueueJob(t.ctx.db, trx, 'fast', {}));
      const first = await Promise.race([fastDone.then(() => 'fast job done'), new Promise((r) => setTimeout(() => r('fast job still waiting'), 10_000))]);
      assert.equal(first, 'fast job done', 'a job that arrived later ran while the slow one held its place');
      assert.equal(slow.state.finished, false);
      assert.ok(background.lastSuccess() !== null, 'the runner says when it last claimed');
    } finally {
      const stopping = background.stop();
      setTimeout(slow.release, 50);
      await stopping;
    }
    assert.equal(slow.state.finished, true, 'stop waited for the job under way');
    const left = await t.ctx.db.read.selectFrom('jobs').select(['kind']).where('done_at', 'is', null).execute();
    assert.deepEqual(left, [], 'both marked done');
  });

  test('in the background, a claim that fails is logged and loses no place: jobs still run beside a slow one', async () => {
    const { db } = t.ctx;
    // The database refuses one write: the next claim.
    let failNext = false;
    let failed = 0;
    const { ctx, errors } = refusingWrites(t.ctx, () => {
      if (!failNext) return false;
      failNext = false;
      failed++;
      return true;
    });
    const slow = slowJob();
    let fastRan = 0;
    const runner = jobRunner(ctx, { slow: slow.handler, fast: async () => void fastRan++ });
    await db.writes.run((trx) => enqueueJob(db, trx, 'slow', {}));
    const background = runner.start({ intervalMs: 20 });
    try {
      await slow.whenStarted;
      failNext = true;
      while (!failed) await new Promise((r) => setTimeout(r, 5));
      await db.writes.run(async (trx) => {
        for (let n = 0; n < 3; n++) await enqueueJob(db, trx, 'fast', { n });
      });
      const deadline = Date.now() + 10_000;
      while (fastRan < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(fastRan, 3, 'the jobs that came after the failed claim ran while the slow one held its place');
      assert.equal(errors.length, 1, 'the failure is logged once');
    } finally {
      const stopping = background.stop();
      slow.release();
      await stopping;
    }
  });

  test('stop() is prompt while places pause in trouble (the database refusing writes)', async () => {
    const { db } = t.ctx;
    let down = false;
    const { ctx } = refusingWrites(t.ctx, () => down);
    const slow = slowJob();
    const runner = jobRunner(ctx, { slow: slow.handler });
    await db.writes.run((trx) => enqueueJob(db, trx, 'slow', {}));
    const background = runner.start({ intervalMs: 1000 });
    await slow.whenStarted;
    down = true;
    await new Promise((r) => setTimeout(r, 1200)); // a claim fails: its places pause 4 s
    slow.release(); // the slow job's place fails to mark it: it pauses too
    await new Promise((r) => setTimeout(r, 200));
    down = false;
    const t0 = Date.now();
    await background.stop();
    const took = Date.now() - t0;
    assert.ok(took < 500, `stop took ${took} ms`);
  });
});
