// A round's writes to letters wait for its end (db/round.ts): the letters'
// changes and the campaigns relabelled in between, written in three
// statements or so. On both databases, random sequences of them leave the
// rows exactly as writing each at once, in order, leaves them, and the
// round's own copies of its letters agree, also when a statement in the
// middle of the round writes what waits; the queue's counters equal a full
// count after either way of writing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendedNow, appendingAtEnd } from '../../src/db/batch.ts';
import type { Trx } from '../../src/db/executor.ts';
import { changeLetter, findLettersByIds, relabelCampaign, type LetterChanges, type Relabel } from '../../src/db/repositories/letters.ts';
import { newRound } from '../../src/db/round.ts';
import { letterCounts, letterCountsInFull, type LetterCount } from '../../src/db/repositories/letter-counts.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';
import { rng } from '../support/random.ts';

type Write = { change: { id: string; changes: LetterChanges } } | { relabel: Relabel } | { flush: true };

forEachDialect("a round's letters' changes and relabels", (dialect) => {
  const t = suiteContext(dialect);
  const ids: string[] = [];

  async function letters(n: number): Promise<void> {
    for (let i = ids.length; i < n; i++) {
      const out = await intakeLetter(t.ctx, {
        source: 'api',
        article: null,
        writer: { name: `Writer ${i}`, email: `w${i}@relabel.example`, town: null },
        subject: null,
        body: `Letter ${i} about the bridge.`,
        consent: true,
        exclusive: true,
        pow: 'off',
        dedupeKey: `relabel-${dialect}-${i}`,
        actor: 'test',
        meta: {},
      });
      ids.push(out.letter.id);
    }
  }

  /** Campaign, status and flags of every letter. */
  async function state(): Promise<Map<string, string>> {
    const rows = await findLettersByIds(t.ctx.db, ids);
    return new Map(ids.map((id) => [id, `${rows.get(id)!.campaignId ?? '-'} ${rows.get(id)!.status} ${rows.get(id)!.flags.join(',')}`]));
  }

  async function reset(start: Map<string, string | null>): Promise<void> {
    await t.ctx.db.writes.run(async (trx) => {
      for (const [id, campaignId] of start) await changeLetter(t.ctx.db, trx, id, { campaignId, status: 'new', flags: [] });
    });
  }

  const sorted = (cs: LetterCount[]) => cs.map((c) => `${c.dimension} ${c.key ?? '-'} ${c.status} ${c.n}`).sort();
  async function countersInStep(when: string): Promise<void> {
    assert.deepEqual(sorted(await letterCounts(t.ctx.db)), sorted(await letterCountsInFull(t.ctx.db)), `${when}: the counters equal a full count`);
  }

  function randomWrites(seed: number): { start: Map<string, string | null>; writes: Write[] } {
    const r = rng(seed);
    const pick = () => ids[Math.floor(r() * ids.length)]!;
    const some = (most: number) => Array.from({ length: Math.floor(r() * most) }, pick);
    // Campaigns are named by a letter of theirs; a few, so that merges find letters and follow each other.
    const campaigns = [pick(), pick(), pick(), pick()];
    const campaign = () => (r() < 0.7 ? campaigns[Math.floor(r() * campaigns.length)]! : pick());
    const start = new Map(ids.map((id) => [id, r() < 0.6 ? campaign() : null]));
    const writes: Write[] = [];
    for (let i = 0; i < 12; i++) {
      const x = r();
      if (x < 0.4) {
        // A campaign, a status, flags: alone or together (screening's change carries several).
        const changes: LetterChanges = {};
        if (r() < 0.6) changes.campaignId = r() < 0.8 ? campaign() : null;
        if (r() < 0.4) changes.status = r() < 0.5 ? 'spam' : 'shortlisted';
        if (r() < 0.4 || !Object.keys(changes).length) changes.flags = [`f${i}`];
        writes.push({ change: { id: pick(), changes } });
      }
      else if (x < 0.9) writes.push({ relabel: { campaignId: campaign(), ids: some(4), merged: r() < 0.6 ? Array.from({ length: 1 + Math.floor(r() * 2) }, campaign) : [] } });
      else writes.push({ flush: true });
    }
    return { start, writes };
  }

  async function writeAtOnce(trx: Trx, writes: Write[]): Promise<void> {
    for (const w of writes) {
      if ('change' in w) await changeLetter(t.ctx.db, trx, w.change.id, w.change.changes);
      else if ('relabel' in w) await relabelCampaign(t.ctx.db, trx, w.relabel);
    }
  }

  test('written at the round’s end, as written one by one; the round’s copies agree', async () => {
    await letters(10);
    let differed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { start, writes } = randomWrites(seed);
      await reset(start);
      const before = await state();
      await t.ctx.db.writes.run((trx) => writeAtOnce(trx, writes));
      const oneByOne = await state();
      if ([...oneByOne].some(([id, s]) => before.get(id) !== s)) differed++;
      await countersInStep(`seed ${seed}, one by one`);

      await reset(start);
      let copies = new Map<string, string | null>();
      await t.ctx.db.writes.run(async (trx) => {
        const round = newRound(t.ctx.db, trx, false, await findLettersByIds(t.ctx.db, ids, trx));
        await appendingAtEnd(trx, new Set(['letters']), async () => {
          for (const w of writes) {
            if ('change' in w) await round.updateLetter(w.change.id, w.change.changes);
            else if ('relabel' in w) await round.relabelCampaign(w.relabel);
            else await appendedNow(trx, 'letters');
          }
          for (const id of ids) copies.set(id, (await round.letter(id))!.campaignId);
        });
      });
      const atTheEnd = await state();
      assert.deepEqual(atTheEnd, oneByOne, `seed ${seed}: the rows as written one by one`);
      await countersInStep(`seed ${seed}, at the round's end`);
      for (const id of ids) assert.equal(copies.get(id) ?? '-', oneByOne.get(id)!.split(' ')[0], `seed ${seed}: the round's copy of ${id}`);
    }
    // The sequences did change letters (a comparison of unchanged rows would prove nothing).
    assert.ok(differed >= 30, `${differed} of 40 sequences changed letters`);
  });
});
