// The outbox's claims, keepings and "sent" marks asked while another is under
// way go in together (util/gathered.ts), on both databases: still each mail
// is taken once, whoever asks for it and however many ask at once, and every
// asker hears about its own mail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { claimMail, dueMailTake, enqueueMail, findMail, keepMail, markMail } from '../../src/db/repositories/outbox.ts';
import { gathered } from '../../src/util/gathered.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';
import { onMigratedDatabase, queryPlan } from '../support/plans.ts';

test('calls asked while one is under way go together; a key asked twice is answered once; a failure reaches its batch only', async () => {
  const batches: string[][] = [];
  let fail = false;
  const take = gathered<string, null, string>(async (calls) => {
    batches.push(calls.map((c) => c.key));
    await new Promise((r) => setTimeout(r, 20));
    if (fail) throw new Error('refused');
    return new Map(calls.map((c) => [c.key, `took ${c.key}`]));
  });
  const first = take('a', null);
  const rest = ['b', 'c', 'b', 'd'].map((k) => take(k, null));
  assert.deepEqual(await Promise.all([first, ...rest]), ['took a', 'took b', 'took c', undefined, 'took d']);
  assert.deepEqual(batches, [['a'], ['b', 'c', 'd']]);
  fail = true;
  await assert.rejects(take('e', null), /refused/);
  fail = false;
  assert.equal(await take('f', null), 'took f', 'the next batch runs after a failed one');
});

test('a shared read answers every asker of a key', async () => {
  const read = gathered<string, null, string>(async (calls) => new Map(calls.map((c) => [c.key, `row ${c.key}`])), { shared: true });
  const first = read('a', null);
  assert.deepEqual(await Promise.all([first, read('b', null), read('b', null)]), ['row a', 'row b', 'row b']);
});

forEachDialect('mail taken together', (dialect) => {
  const t = suiteContext(dialect);
  let made = 0;
  const mails = (n: number) =>
    t.ctx.db.writes.run(async (trx) => {
      const ids: string[] = [];
      for (let k = 0; k < n; k++) {
        const i = made++;
        ids.push(await enqueueMail(t.ctx.db, trx, { letterId: null, kind: 'notice', to: { address: `r${i}@together.example`, name: null }, subject: `Mail ${i}`, text: 'Hello', headers: {}, messageId: `<m${i}-${dialect}@together.example>` }));
      }
      return ids;
    });

  test('thirty keepings of ten mails at once: each mail kept once, for one asker, with its own row', async () => {
    const ids = await mails(10);
    const asks = [...ids, ...ids, ...ids].map((id) => keepMail(t.ctx.db, id).then((m) => ({ id, m })));
    const answers = await Promise.all(asks);
    for (const id of ids) {
      const got = answers.filter((a) => a.id === id && a.m);
      assert.equal(got.length, 1, `mail ${id} taken by one asker`);
      assert.equal(got[0]!.m!.id, id);
      assert.equal(got[0]!.m!.status, 'kept');
      assert.equal((await findMail(t.ctx.db, id))!.attempts, 1);
    }
  });

  test('claims at once: each mail claimed once with its lease; "sent" marks at once each reach their mail', async () => {
    const ids = await mails(8);
    const claims = await Promise.all([...ids, ...ids].map((id, i) => claimMail(t.ctx.db, id, i % 2 ? 60_000 : 600_000)));
    assert.equal(claims.filter(Boolean).length, 8);
    for (const id of ids) {
      const m = (await findMail(t.ctx.db, id))!;
      assert.equal(m.status, 'sending');
      assert.ok(m.nextAttemptAt.getTime() > Date.now() + 30_000, 'the lease it was claimed with');
    }
    await Promise.all(ids.slice(0, 6).map((id) => markMail(t.ctx.db, id, 'sent')));
    const statuses = await Promise.all(ids.map(async (id) => (await findMail(t.ctx.db, id))!.status));
    assert.deepEqual(statuses, [...Array(6).fill('sent'), 'sending', 'sending']);
    assert.equal(await keepMail(t.ctx.db, ids[0]!), null, 'a sent mail is not taken again');
  });

  // With thousands of mails waiting (a burst's acknowledgements), each take
  // of fifty walked every pending mail in outbox_due: SQLite plans without
  // statistics, and PostgreSQL's statistics lag a table that grew since
  // autovacuum last read it. Mail fell further behind the more of it waited.
  test('a take of fifty mails finds them by their keys, not by walking every pending mail', () =>
    onMigratedDatabase(dialect, async (plain) => {
      const d = plain.dialect;
      const now = d.time(new Date(Date.now() - 1000));
      const insert = async (from: number, to: number, status: (i: number) => string) => {
        for (let chunk = from; chunk < to; chunk += 500) {
          const rows = Array.from({ length: Math.min(500, to - chunk) }, (_, k) => {
            const i = chunk + k;
            return { id: `mail-${String(i).padStart(5, '0')}`, letter_id: null, kind: 'notice', to_address: `r${i}@plan.example`, to_name: null, subject: 'Hello', text: 'Hello', headers: d.json({}), message_id: `<p${i}@plan.example>`, status: status(i), attempts: 0, next_attempt_at: now, last_error: null, sent_at: null, created_at: now };
          });
          await plain.k.insertInto('outbox').values(rows).execute();
        }
      };
      // PostgreSQL: statistics read when every mail had been sent, then a burst's worth pending (SQLite has none).
      const sent = d.name === 'postgres' ? 20_000 : 0;
      if (sent) {
        await insert(0, sent, () => 'sent');
        await sql`analyze outbox`.execute(plain.k);
      }
      await insert(sent, sent + 4000, (i) => (i % 10 ? 'pending' : 'kept'));
      const db = { dialect: d } as Parameters<typeof dueMailTake>[0];
      const ids = Array.from({ length: 50 }, (_, k) => `mail-${String(sent + k * 37).padStart(5, '0')}`);
      const take = dueMailTake(db, plain.k as never, ids, { status: 'kept' });
      const plan = await queryPlan(plain, take.compile());
      assert.doesNotMatch(plan, /outbox_due/, `the take does not walk the due mails:\n${plan}`);
      assert.match(plan, /outbox_pkey|sqlite_autoindex_outbox_1/, `it looks the mails up by key:\n${plan}`);
      // And takes only the pending ones among them (one in ten of these is kept already).
      const taken = (await take.execute()).map((r) => r.id).sort();
      assert.deepEqual(taken, ids.filter((id) => Number(id.slice(5)) % 10 !== 0));
    }));
});
