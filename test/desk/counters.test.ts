// The queue's counters (migration 0900) after a random workload on both
// databases: letters arriving, changing status, moving between articles,
// joining and merging campaigns, removed by retention and erasure, some of
// it at once from two nodes. Afterwards the counters, the tab counts the
// desk shows and /metrics' figures equal a full count of the letters; so do
// they after the second node's connections are gone and folded, and in a
// desk restored from a backup.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';
import { startAppOn, startTestApp, type TestApp } from '../support/app.ts';
import { rng } from '../support/random.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { takeAction } from '../../src/letters/actions.ts';
import type { Actor } from '../../src/letters/lifecycle.ts';
import { relabelCampaign } from '../../src/db/repositories/letters.ts';
import { deleteDeclinedLetters } from '../../src/db/repositories/retention.ts';
import { eraseWriterData } from '../../src/db/repositories/writer-data.ts';
import { articleLettersNotSpam, foldLetterCounts, letterCounts, letterCountSlots, letterCountsInFull, type LetterCount } from '../../src/db/repositories/letter-counts.ts';
import { openPlain } from '../../src/db/connect.ts';
import { backup, restore } from '../../src/db/archive/index.ts';
import { backlogFigures } from '../../src/db/repositories/monitoring.ts';
import { call, createUser, openSession } from './support.ts';

const sorted = (cs: LetterCount[]) => cs.map((c) => `${c.dimension} ${c.key ?? '-'} ${c.status} ${c.n}`).sort();
const SYSTEM: Actor = { kind: 'system', label: 'test' };

forEachDialect('the queue counters follow every change to letters', (dialect) => {
  let t: TestApp;
  let second: TestApp | null = null;
  const random = rng(dialect === 'sqlite' ? 17 : 23);
  const pick = <T>(a: T[]): T => a[Math.floor(random() * a.length)]!;
  const ids: string[] = [];
  const emails: string[] = [];
  let articles: string[] = [];
  let n = 0;
  let staff: Actor;

  before(async () => {
    t = await startTestApp(dialect);
    t.ctx.publication.policies.requireConfirmation = false;
    articles = (await t.ctx.db.read.selectFrom('articles').select('id').execute()).map((a) => a.id);
    const editor = await createUser(t.ctx, 'editor');
    staff = { kind: 'staff', id: editor.id, role: 'editor', label: 'Ed' };
  });
  after(async () => {
    await second?.close();
    await t?.close();
  });

  /** One random change, on `app` (either node). */
  async function step(app: TestApp): Promise<void> {
    const ctx = app.ctx;
    const r = random();
    if (r < 0.3 || ids.length < 5) {
      n++;
      const email = `writer${n % 23}@counts.example`;
      const out = await intakeLetter(ctx, {
        source: 'api',
        article: random() < 0.2 ? null : { id: pick(articles), method: 'form', confidence: 1 },
        writer: { name: `Writer ${n % 23}`, email, town: null },
        subject: null,
        body: `Letter ${n} on the council budget and the ${pick(['library', 'bridge', 'school'])}.`,
        consent: true,
        exclusive: true,
        pow: 'off',
        dedupeKey: `counts-${dialect}-${n}`,
        actor: 'test',
        meta: {},
      });
      ids.push(out.letter.id);
      emails.push(email);
    } else if (r < 0.6) {
      await takeAction(ctx, pick(ids), { action: pick(['shortlist', 'decline', 'spam', 'not_spam', 'publish']) } as never, staff);
    } else if (r < 0.75) {
      await takeAction(ctx, pick(ids), { action: 'assign_article', article: pick(articles) } as never, staff);
    } else if (r < 0.88) {
      await relabel(app);
    } else if (r < 0.95) {
      await deleteDeclinedLetters(ctx.db, new Date(Date.now() + 86_400_000));
    } else {
      await eraseWriterData(ctx.db, pick(emails), 'delete', 'Name withheld');
    }
  }

  /** A campaign found (or two merged) by screening: some letters relabelled in one statement. */
  async function relabel(app: TestApp): Promise<void> {
    const members = Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(ids));
    const merged = random() < 0.5 ? [pick(ids)] : [];
    await app.ctx.db.writes.run((trx) => relabelCampaign(app.ctx.db, trx, { campaignId: members[0]!, ids: members, merged }));
  }

  async function assertInStep(app: TestApp, when: string): Promise<LetterCount[]> {
    const full = await letterCountsInFull(app.ctx.db);
    assert.deepEqual(sorted(await letterCounts(app.ctx.db)), sorted(full), `${when}: counters equal a full count`);
    // What decides an article's next grouping: its letters but spam, read by article.
    const notSpam = new Map<string, number>();
    for (const c of full) if (c.dimension === 'article' && c.key && c.status !== 'spam') notSpam.set(c.key, (notSpam.get(c.key) ?? 0) + c.n);
    assert.ok(notSpam.size > 0, `${when}: letters with an article`);
    assert.deepEqual(await articleLettersNotSpam(app.ctx.db, [...notSpam.keys(), 'no-such-article']), notSpam, `${when}: each article's letters but spam`);
    return full;
  }

  test('after a random workload from two nodes, the counters equal a full count', async () => {
    second = await startAppOn(t.db);
    for (let round = 0; round < 60; round++) {
      // Three changes at once, from both nodes: on PostgreSQL, three connections.
      await Promise.all([step(t), step(second), step(t)].map((p) => p.catch((err: Error) => assert.fail(`a change failed: ${err.message}`))));
      // Screening runs between changes too (it sets status, article and campaign of the letters it screens).
      if (round % 20 === 19) await t.drainEvents();
    }
    await t.drainEvents();
    for (let i = 0; i < 4; i++) await relabel(t);
    const full = await assertInStep(t, 'after the workload');
    // The workload touched every kind of count, or the comparison proves little.
    const statuses = new Set(full.map((c) => c.status));
    assert.ok(statuses.size >= 4, `letters in ${[...statuses].join(', ')}`);
    assert.ok(full.some((c) => c.dimension === 'campaign') && full.some((c) => c.dimension === 'article' && !c.key), 'campaign letters and unmatched letters among them');
    const total = full.filter((c) => c.dimension === 'article').reduce((a, c) => a + c.n, 0);
    assert.ok(total < ids.length, `some of the ${ids.length} letters were removed (${total} left)`);
  });

  test('after the workload, every letter has its search entry and no entry outlives its letter', async () => {
    // PostgreSQL's entries have no foreign key (its check cost more than the entry): the deletions themselves must take them.
    const plain = openPlain(t.db);
    const k = plain.k;
    let left: number;
    try {
      const { rows } =
        dialect === 'postgres'
          ? await sql<{ orphans: number; unindexed: number }>`select
              (select count(*)::int from letter_search s where not exists (select 1 from letters l where l.id = s.letter_id)) as orphans,
              (select count(*)::int from letters l where not exists (select 1 from letter_search s where s.letter_id = l.id)) as unindexed`.execute(k)
          : await sql<{ orphans: number; unindexed: number }>`select
              (select count(*) from letters_fts f where not exists (select 1 from letters l where l.rowid = f.rowid and l.id = f.letter_id)) as orphans,
              (select count(*) from letters l where not exists (select 1 from letters_fts f where f.rowid = l.rowid)) as unindexed`.execute(k);
      assert.deepEqual({ orphans: Number(rows[0]!.orphans), unindexed: Number(rows[0]!.unindexed) }, { orphans: 0, unindexed: 0 });
      left = Number((await k.selectFrom('letters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await plain.close();
    }
    assert.ok(left > 0 && left < ids.length, `letters were deleted (${left} of ${ids.length} left)`);
  });

  test("the desk's tab counts and /metrics' figures are the full count", async () => {
    const full = await letterCountsInFull(t.ctx.db);
    const byStatus: Record<string, number> = {};
    const byArticle: Record<string, number> = {};
    const byCampaign: Record<string, number> = {};
    for (const c of full) {
      if (c.dimension === 'campaign') {
        byCampaign[c.key!] = (byCampaign[c.key!] ?? 0) + c.n;
        continue;
      }
      byStatus[c.status] = (byStatus[c.status] ?? 0) + c.n;
      byArticle[c.key ?? ''] = (byArticle[c.key ?? ''] ?? 0) + c.n;
    }
    const editor = await createUser(t.ctx, 'viewer');
    const who = await openSession(t.ctx, editor.id);
    const counts = (await call(t.url, 'GET', '/api/v1/queue/counts', who)).json;
    assert.deepEqual(counts.byStatus, byStatus);
    assert.deepEqual(Object.fromEntries(counts.byArticle.map((a: any) => [a.id ?? '', a.total])), byArticle);
    assert.deepEqual(Object.fromEntries(counts.byCampaign.map((c: any) => [c.id, c.total])), byCampaign);
    assert.deepEqual((await backlogFigures(t.ctx.db)).lettersByStatus, byStatus);
  });

  test("once the second node's connections are gone, folding keeps every count", async () => {
    const before_ = await letterCountSlots(t.ctx.db);
    await second!.close();
    second = null;
    if (dialect === 'postgres') {
      // The connections closed are gone from the server a moment later.
      assert.ok(before_ >= 2, `changes from several connections count in their own slots (${before_})`);
      let after_ = before_;
      for (let i = 0; i < 50 && after_ >= before_; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await foldLetterCounts(t.ctx.db);
        after_ = await letterCountSlots(t.ctx.db);
      }
      assert.ok(after_ < before_, `the closed connections' slots were folded (${before_} → ${after_})`);
    } else {
      assert.equal(before_, 1, 'one writer, one slot');
      await foldLetterCounts(t.ctx.db);
    }
    await assertInStep(t, 'after the fold');
    // And the counting goes on after a fold.
    for (let i = 0; i < 10; i++) await step(t);
    await assertInStep(t, 'after more changes');
    // Folds beside changes (on PostgreSQL a row a transaction holds is skipped, never waited for).
    await Promise.all([
      (async () => {
        for (let i = 0; i < 20; i++) await step(t);
      })(),
      (async () => {
        for (let i = 0; i < 5; i++) {
          await foldLetterCounts(t.ctx.db);
          await new Promise((r) => setTimeout(r, 10));
        }
      })(),
    ]);
    await assertInStep(t, 'after folds beside changes');
    // With nothing under way, a fold leaves one slot, live connections' included, and no row summing to nothing.
    await foldLetterCounts(t.ctx.db);
    assert.equal(await letterCountSlots(t.ctx.db), 1, "every slot folded, the open connections' too");
    const zero = await t.ctx.db.read.selectFrom('letter_counts').select((e) => e.fn.countAll().as('n')).where('n', '=', 0).executeTakeFirstOrThrow();
    assert.equal(t.ctx.db.dialect.readInt(zero.n), 0, 'no counter row left at zero');
    await assertInStep(t, 'after the last fold');
  });

  test('a desk restored from a backup counts its letters as the original did', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-counts-'));
    const file = path.join(dir, 'desk.ldarchive');
    const source = openPlain(t.db);
    await backup(source, file);
    await source.close();
    const target = await createTestDatabase(dialect);
    const into = openPlain(target);
    await restore(into, file);
    await into.close();
    const restored = await startAppOn(target);
    try {
      const original = await letterCountsInFull(t.ctx.db);
      assert.deepEqual(sorted(await letterCountsInFull(restored.ctx.db)), sorted(original), 'the same letters');
      await assertInStep(restored, 'restored');
    } finally {
      await restored.close();
      await target.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
