// Mutated MIME through the real doors: the raw webhook (HTTP) and the SMTP
// listener, for a time budget with a fixed seed. Every message is
// acknowledged (202 / 250) and stored once (a resend of the same bytes finds
// the same row), no answer is a server error or slower than the bound, and
// /healthz is never kept waiting meanwhile. FUZZ_SEED and
// DOOR_FUZZ_BUDGET_MS override the defaults.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson } from '../support/app.ts';
import { describeLatency, pollLatency, warmUp, withinBound } from '../support/latency.ts';
import { rng } from '../support/random.ts';
import { mutatedMessage, seedMessages } from '../support/mime-mutations.ts';
import { dataPayload, smtpSend } from '../support/smtp-client.ts';
import { plainLetter } from '../support/hostile-mail.ts';
import { inboundIdOf, startMailDesk, type MailDesk } from './support.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const BUDGET_MS = Number(process.env.DOOR_FUZZ_BUDGET_MS ?? 4000);
const MIN_CASES = 20;
/** The work on one message is bounded by the mail time limit (reading, then authenticating): an answer waits for no more than both, and storing. */
const TIME_LIMIT_MS = 3000;
const ANSWER_BOUND_MS = 2 * TIME_LIMIT_MS + 2000;
const BOUND_MS = 100;

const seeds = seedMessages(80);

forEachDialect('mutated MIME through the webhook and SMTP', (dialect) => {
  let t: MailDesk;
  let token: string;
  before(async () => {
    t = await startMailDesk(dialect, { env: { LETTERDESK_MAIL_TIME_LIMIT_MS: String(TIME_LIMIT_MS) } });
    token = await t.token('inbound');
    await warmUp(`${t.url}/healthz`);
    await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(plainLetter(`warm-${dialect}`)) });
    await t.drainEvents();
  });
  after(() => t.close());

  test(`for ${BUDGET_MS} ms: acknowledged, stored once, no 5xx, no slow answer, /healthz within 100 ms`, async () => {
    const r = rng(SEED + (dialect === 'postgres' ? 7 : 0));
    const ids = new Map<string, Buffer>();
    const outcome: Record<string, number> = {};
    let slowest = 0;
    let cases = 0;
    const probe = pollLatency(`${t.url}/healthz`, 5);
    const end = Date.now() + BUDGET_MS;
    const send = async (msg: Buffer, door: 'raw' | 'smtp'): Promise<string> => {
      const t0 = performance.now();
      let id: string;
      if (door === 'raw') {
        const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(msg) });
        const body = await res.text();
        if (msg.length === 0) {
          assert.equal(res.status, 415);
          return '';
        }
        assert.equal(res.status, 202, `raw webhook answered ${res.status}: ${body.slice(0, 300)}`);
        id = JSON.parse(body).id;
      } else {
        const answer = await smtpSend(t.smtp.port, dataPayload(msg), { from: 'fuzz@example.net', to: 'letters@review.example.com' });
        assert.equal(answer.code, 250, `SMTP answered ${answer.text}`);
        id = inboundIdOf(answer.text);
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      assert.ok(ms <= ANSWER_BOUND_MS, `${door}: ${ms.toFixed(0)} ms`);
      return id;
    };
    try {
    // The budget, and at least MIN_CASES messages however slow the machine is (within a hard cap).
    const cap = Date.now() + 10 * BUDGET_MS;
    while ((Date.now() < end || cases < MIN_CASES) && Date.now() < cap) {
      const msg = mutatedMessage(seeds, r);
      const door = r() < 0.5 ? 'raw' : 'smtp';
      const id = await send(msg, door);
      cases++;
      if (!id) continue;
      // Resent (a sender's retry, through the same door): the same row answers.
      if (r() < 0.25) assert.equal(await send(msg, door), id, `a resend finds the stored message (${door})`);
      if (!ids.has(id)) ids.set(id, msg);
    }
      // SMTP answers once a message is stored; the background reads it afterwards, /healthz still polled.
      await t.readSpooled();
    } finally {
      var latency = await probe.stop();
    }
    for (const id of ids.keys()) {
      const row = await getJson(`${t.url}/api/v1/inbound/${id}`, await t.token('admin'));
      assert.equal(row.status, 200, `acknowledged ${id} is stored`);
      assert.ok(['letter', 'thread_reply', 'tray', 'quarantined'].includes(row.json.status), `${id} left ${row.json.status}`);
      if (row.json.status === 'quarantined') assert.ok(row.json.reason, 'quarantined with a reason');
      outcome[row.json.status] = (outcome[row.json.status] ?? 0) + 1;
    }
    assert.ok(cases >= MIN_CASES, `only ${cases} cases in ${10 * BUDGET_MS} ms`);
    assert.equal(withinBound(latency, BOUND_MS), null, describeLatency(latency));
    console.log(`door fuzz [${dialect}]: ${cases} messages in ${BUDGET_MS} ms → ${ids.size} stored ${JSON.stringify(outcome)}, slowest answer ${slowest.toFixed(0)} ms; ${describeLatency(latency)}`);
  });
});
