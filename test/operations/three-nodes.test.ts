// Three nodes on one PostgreSQL, as a newsroom runs them behind a proxy, and
// one dies (SIGKILL) in the middle of the work. Letters keep arriving by the
// API and SMTP, each retried on another node when its node does not answer;
// some letters are scheduled to publish around the crash. Then time passes
// for what the dead node held (its job locks and sending leases run out), and
// the survivors finish. Every acknowledged letter is stored once; each mail to
// a writer reached the relay at most once, and exactly once unless the desk
// itself says `uncertain`; each webhook delivery reached the receiver at most
// once, exactly once unless `uncertain`, and there is one per letter and
// event; each scheduled letter was published once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { pgUnavailable, requirePg } from '../support/env.ts';
import { postJson, startAppOn, type TestApp } from '../support/app.ts';
import { dataPayload, smtpSend } from '../support/smtp-client.ts';
import { inboundIdOf } from '../support/spool.ts';
import { LETTERS, letterMail, startNode, type Node } from './nodes.ts';
import { receiver, relay } from '../support/outside.ts';
import { linkIn, outbox as outboxOf, waitFor } from '../publishing/helpers.ts';

const pgMissing = await pgUnavailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three nodes, one killed mid-work [postgres]', { skip: pgMissing && !requirePg ? `skipped: ${pgMissing}` : false }, () => {
  let db: TestDatabase;
  let sql: pg.Client;
  let observer: TestApp;
  let smtpRelay: Awaited<ReturnType<typeof relay>>;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const nodes: Node[] = [];
  const apiAcked = new Map<number, string>(); // letter number → id
  const mailAcked = new Map<number, string>(); // letter number → inbound id
  const scheduled: string[] = [];
  let retried = 0;

  before(async () => {
    if (pgMissing) throw new Error(pgMissing);
    db = await createTestDatabase('postgres');
    sql = new pg.Client({ connectionString: db.databaseUrl! });
    await sql.connect();
    // Slow to answer, so that the killed node has sends in flight.
    smtpRelay = await relay({ delayMs: 300 });
    hooks = await receiver({ delayMs: 300 });
    // The observer only reads and sets up (it runs no background work).
    observer = await startAppOn(db, { LETTERS_ADDRESS: LETTERS });
    const admin = await observer.token('admin');
    const hook = await postJson(`${observer.url}/api/v1/webhooks`, { url: hooks.url, events: ['letter.received', 'letter.published'] }, { authorization: `Bearer ${admin}` });
    assert.equal(hook.status, 201, JSON.stringify(hook.json));
    for (const name of ['a', 'b', 'c']) nodes.push(await startNode(db, name, { SMTP_URL: smtpRelay.url }));
  });
  after(async () => {
    for (const n of nodes) n.process.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    await observer?.close();
    await sql?.end();
    await smtpRelay?.close();
    await hooks?.close();
    await db?.drop();
  });

  const alive = () => nodes.filter((n) => n.process.exitCode === null && n.process.signalCode === null);

  /** A letter by the API, retried with the same Idempotency-Key on the next node until one acknowledges it. */
  async function sendByApi(i: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const node = alive()[(i + attempt) % alive().length]!;
      const r = await postJson(
        `${node.url}/api/v1/letters`,
        { article: 'seed-isi-taliban', name: `Writer ${i}`, email: `api${i}@example.org`, town: 'Eastbank', body: `Letter ${i} by the API: the footbridge is overdue.`, consent: true },
        { 'idempotency-key': `three-nodes-${i}` },
      ).catch(() => null);
      if (r?.status === 202) return void apiAcked.set(i, r.json.id);
      retried++;
      assert.ok(attempt < 10, `letter ${i} never acknowledged: ${r?.status}`);
      await sleep(50);
    }
  }

  /** A letter by SMTP, resent (same Message-ID) to the next node until one answers 250. */
  async function sendByMail(i: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const node = alive()[(i + attempt) % alive().length]!;
      const r = await smtpSend(node.smtpPort, dataPayload(letterMail(i, 'three-nodes')), { from: `reader${i}.three-nodes@example.net`, to: LETTERS }).catch(() => null);
      if (r?.code === 250) return void mailAcked.set(i, inboundIdOf(r.text));
      retried++;
      assert.ok(attempt < 10, `mail ${i} never acknowledged: ${r?.text}`);
      await sleep(50);
    }
  }

  test('SIGKILL one node while letters arrive; the survivors finish its work; nothing is done twice', async () => {
    const admin = await observer.token('admin');
    // Letters to schedule: by mail (new at once, no confirmation), published a moment after the crash.
    for (let i = 1000; i < 1006; i++) await sendByMail(i);
    // Answered once stored; the nodes' background reads them into letters.
    const ids = [...Array(6).keys()].map((k) => mailAcked.get(1000 + k)!);
    await waitFor('the mail read into letters', async () => (await sql.query('select count(*) as n from inbound_messages where id = any($1) and letter_id is null', [ids])).rows[0].n === '0');
    await observer.drainEvents();
    const at = new Date(Date.now() + 4000).toISOString();
    for (let i = 1000; i < 1006; i++) {
      const letterId = (await sql.query('select letter_id from inbound_messages where id = $1', [mailAcked.get(i)])).rows[0].letter_id as string;
      // A letter by email is published once its writer agrees, through the button the acknowledgement links to.
      const consent = new URL(linkIn(await outboxOf(observer, letterId), 'consent'));
      const agreed = await fetch(`${observer.url}${consent.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      assert.equal(agreed.status, 200);
      const r = await postJson(`${observer.url}/api/v1/letters/${letterId}/actions`, { action: 'schedule', at }, { authorization: `Bearer ${admin}` });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      scheduled.push(letterId);
    }

    let next = 0;
    let sending = true;
    const senders = Array.from({ length: 4 }, async (_, k) => {
      while (sending) {
        const i = next++;
        await (k % 2 ? sendByMail(i) : sendByApi(i));
      }
    });
    while (apiAcked.size + mailAcked.size < 40) await sleep(20);
    const victim = nodes[1]!;
    victim.process.kill('SIGKILL');
    await victim.exited;
    const killedAt = apiAcked.size + mailAcked.size;
    while (apiAcked.size + mailAcked.size < killedAt + 40) await sleep(20);
    sending = false;
    await Promise.all(senders);

    // Time passes for what the dead node held: once the survivors are idle,
    // what is still locked or leased is the dead node's; its locks run out.
    // What is left to do: jobs due or waiting out a retry (not the safety nets
    // set for later), waiting events, and which jobs are held (by id).
    const state = async () => {
      const open = await sql.query(`select count(*) as n from jobs where done_at is null and (locked_until is null or locked_until < now()) and (run_at <= now() or attempts > 0)`);
      const events = await sql.query('select count(*) as n from event_queue where failed_at is null');
      const held = await sql.query(`select id from jobs where done_at is null and locked_until > now() order by id`);
      return { waiting: Number(open.rows[0].n) + Number(events.rows[0].n), held: held.rows.map((r) => r.id as string).join(',') };
    };
    /** Until nothing waits and the held jobs stay the same for 2 s (`heldMayStay`: the dead node's), or none is held. */
    const settle = async (heldMayStay: boolean) => {
      let last = '';
      for (let quiet = 0, waited = 0; quiet < 20; waited++) {
        if (waited >= 900) {
          const left = await sql.query(`select kind, run_at, locked_until, attempts, last_error from jobs where done_at is null`);
          assert.fail(`the survivors never finished: ${JSON.stringify(left.rows.slice(0, 5))} ${left.rows.length} jobs not done`);
        }
        const now = await state();
        quiet = now.waiting === 0 && (heldMayStay ? now.held === last : now.held === '') ? quiet + 1 : 0;
        last = now.held;
        await sleep(100);
      }
    };
    await settle(true);
    // The dead node's sending leases first, then its job locks (a job met before its lease ran out would wait out a retry).
    await sql.query(`update outbox set next_attempt_at = now() - interval '1 second' where status = 'sending'`);
    await sql.query(`update webhook_deliveries set sending_until = now() - interval '1 second' where status = 'sending'`);
    const held = await sql.query(`update jobs set locked_until = now() - interval '1 second', run_at = least(run_at, now()) where done_at is null and locked_until > now()`);
    await settle(false);

    // Every acknowledged letter is stored once (retries included).
    const apiLetters = await sql.query(`select body, count(*) as n from letters where body like 'Letter % by the API:%' group by body`);
    assert.equal(apiLetters.rows.length, apiAcked.size);
    assert.ok(apiLetters.rows.every((r) => Number(r.n) === 1), 'an API letter stored twice');
    for (const id of apiAcked.values()) assert.equal((await sql.query('select count(*) as n from letters where id = $1', [id])).rows[0].n, '1');
    const inbound = await sql.query(`select id, letter_id from inbound_messages where message_id like '%three-nodes-%'`);
    assert.equal(inbound.rows.length, mailAcked.size, 'each mail stored once');
    assert.ok(inbound.rows.every((r) => r.letter_id), 'each mail became a letter');

    // Mail to writers: at most once at the relay; exactly once unless uncertain; none left to send.
    const outbox = await sql.query(`select id, to_address, status from outbox`);
    const atRelay = new Map<string, number>();
    for (const m of smtpRelay.received) {
      const to = /^To: .*?<?([^<>\s]+@[^<>\s]+?)>?\s*$/im.exec(m)?.[1]?.toLowerCase();
      if (to) atRelay.set(to, (atRelay.get(to) ?? 0) + 1);
    }
    const byAddress = new Map<string, { sent: number; uncertain: number; other: string[] }>();
    for (const m of outbox.rows) {
      const e = byAddress.get(m.to_address.toLowerCase()) ?? { sent: 0, uncertain: 0, other: [] };
      if (m.status === 'sent') e.sent++;
      else if (m.status === 'uncertain') e.uncertain++;
      else e.other.push(m.status);
      byAddress.set(m.to_address.toLowerCase(), e);
    }
    let uncertainMail = 0;
    for (const [address, e] of byAddress) {
      assert.deepEqual(e.other, [], `mail to ${address} left ${e.other.join(', ')}`);
      const got = atRelay.get(address) ?? 0;
      assert.ok(got >= e.sent && got <= e.sent + e.uncertain, `${address}: ${got} at the relay for ${e.sent} sent and ${e.uncertain} uncertain`);
      uncertainMail += e.uncertain;
    }
    assert.ok(outbox.rows.length >= apiAcked.size + mailAcked.size, 'every writer was written to');

    // Webhooks: one delivery per letter and event; each at most once at the receiver, exactly once unless uncertain.
    const deliveries = await sql.query(`select id, status, event, payload from webhook_deliveries`);
    const seen = new Map<string, number>();
    for (const d of hooks.deliveries) seen.set(d, (seen.get(d) ?? 0) + 1);
    assert.ok([...seen.values()].every((n) => n === 1), 'a delivery reached the receiver twice');
    let uncertainHooks = 0;
    const perLetterEvent = new Map<string, number>();
    for (const d of deliveries.rows) {
      const letter = JSON.parse(d.payload).data.letter.id as string;
      const key = `${d.event} ${letter}`;
      perLetterEvent.set(key, (perLetterEvent.get(key) ?? 0) + 1);
      if (d.status === 'delivered') assert.equal(seen.get(d.id), 1, `delivery ${d.id} marked delivered but not received`);
      else if (d.status === 'uncertain') uncertainHooks++;
      else assert.fail(`delivery ${d.id} left ${d.status}`);
    }
    assert.ok([...perLetterEvent.values()].every((n) => n === 1), 'two deliveries of one event for one letter');
    assert.equal([...perLetterEvent.keys()].filter((k) => k.startsWith('letter.received')).length, apiAcked.size + mailAcked.size, 'a letter.received delivery for every letter');

    // Scheduled letters: published once each.
    for (const id of scheduled) {
      const l = await sql.query('select status from letters where id = $1', [id]);
      assert.equal(l.rows[0].status, 'published', `scheduled letter ${id}`);
      const published = await sql.query(`select count(*) as n from letter_events where letter_id = $1 and action in ('publish', 'publish_scheduled')`, [id]);
      assert.equal(published.rows[0].n, '1', `scheduled letter ${id} published ${published.rows[0].n} times`);
      assert.equal(perLetterEvent.get(`letter.published ${id}`), 1, `one letter.published delivery for ${id}`);
    }
    console.log(
      `three nodes: ${apiAcked.size} letters by the API and ${mailAcked.size} by SMTP acknowledged (${retried} retried on another node after the kill), ${outbox.rows.length} mails (${uncertainMail} uncertain), ${deliveries.rows.length} webhook deliveries (${uncertainHooks} uncertain), ${scheduled.length} scheduled letters published once; the dead node held ${held.rowCount} jobs`,
    );
  });
});
