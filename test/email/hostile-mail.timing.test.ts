// One hostile message must not stall the desk (issue 14): a Subject folded
// over about 27,000 lines (2 MB) took mailauth 12 s on the main thread while
// /healthz waited. Now the header block is measured before anything reads
// it, and CPU work on mail runs in a worker pool with a hard time limit.
// Each message is sent from a process of its own (so that building and
// sending megabytes is not counted against the desk) while /healthz is polled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson } from '../support/app.ts';
import { describeLatency, pollLatency, warmUp, withinBound } from '../support/latency.ts';
import { hostileSender, type SendSpec, type MessageSpec } from '../support/hostile-client.ts';
import { hugeHtmlLetter, plainLetter } from '../support/hostile-mail.ts';
import { inboundIdOf, startMailDesk, type MailDesk } from './support.ts';

/** The promise: no input delays another request by more than this. */
const BOUND_MS = 100;

async function underProbe(t: MailDesk, spec: SendSpec) {
  const sender = await hostileSender(spec);
  const probe = pollLatency(`${t.url}/healthz`, 2);
  const answer = await sender.send();
  // Whatever the desk does right after answering counts too: reading what SMTP stored, and the events.
  await t.readSpooled();
  await t.drainEvents();
  await new Promise((r) => setTimeout(r, 150));
  const latency = await probe.stop();
  return { answer, latency };
}

async function inboundRow(t: MailDesk, id: string) {
  const r = await getJson(`${t.url}/api/v1/inbound/${id}`, await t.token('admin'));
  assert.equal(r.status, 200);
  return r.json;
}

forEachDialect('a Subject folded over 2 MB', (dialect) => {
  let t: MailDesk;
  let token: string;
  before(async () => {
    t = await startMailDesk(dialect);
    token = await t.token('inbound');
    await warmUp(`${t.url}/healthz`);
    // The first message starts a mail worker; the hostile ones are not the first.
    const first = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(plainLetter('warm-up')) });
    assert.equal(first.status, 202);
    // And screening builds its indexes on the first letter: done before, too.
    await t.drainEvents();
  });
  after(() => t.close());

  const folded: MessageSpec = { kind: 'folded', bytes: 2 * 1024 * 1024, id: `folded-${dialect}` };

  test('over SMTP: answered 250 at once, quarantined with the reason, /healthz never waits more than 100 ms', async () => {
    const { answer, latency } = await underProbe(t, { door: 'smtp', port: t.smtp.port, message: { ...folded, id: `${folded.id}-smtp` } });
    assert.equal(answer.status, 250, String(answer.body));
    assert.ok(answer.ms < 3000, `answered in ${answer.ms} ms`);
    const id = inboundIdOf(String(answer.body));
    const row = await inboundRow(t, id);
    assert.equal(row.status, 'quarantined');
    assert.match(row.reason, /Subject header is folded over [\d,]+ lines and more than 102,400 bytes/);
    assert.equal(withinBound(latency, BOUND_MS), null, describeLatency(latency));
    console.log(`folded 2 MB over SMTP [${dialect}]: answered in ${answer.ms.toFixed(0)} ms; ${describeLatency(latency)}`);
  });

  test('through POST /api/v1/inbound/raw: 202 quarantined with the reason, /healthz never waits more than 100 ms', async () => {
    const { answer, latency } = await underProbe(t, { door: 'raw', url: `${t.url}/api/v1/inbound/raw`, token, message: { ...folded, id: `${folded.id}-raw` } });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.ok(answer.ms < 3000, `answered in ${answer.ms} ms`);
    assert.equal(answer.body.kind, null);
    assert.equal(answer.body.status, 'quarantined');
    assert.match(answer.body.reason, /Subject header is folded over [\d,]+ lines and more than 102,400 bytes/);
    const row = await inboundRow(t, answer.body.id);
    assert.equal(row.status, 'quarantined');
    assert.match(row.auth.error ?? '', /not checked/, 'mailauth never saw it');
    assert.equal(withinBound(latency, BOUND_MS), null, describeLatency(latency));
    console.log(`folded 2 MB through the raw webhook [${dialect}]: answered in ${answer.ms.toFixed(0)} ms; ${describeLatency(latency)}`);
  });
});

forEachDialect('the mail worker time limit', (dialect) => {
  const LIMIT_MS = 800;
  let t: MailDesk;
  let token: string;
  before(async () => {
    // 30 MB messages allowed, so that one can need seconds of honest work.
    t = await startMailDesk(dialect, { maxBytes: 30 * 1024 * 1024, env: { LETTERDESK_MAIL_TIME_LIMIT_MS: String(LIMIT_MS), SMTP_MAX_BYTES: String(30 * 1024 * 1024) } });
    token = await t.token('inbound');
  });
  after(() => t.close());

  const post = async (raw: Buffer) => {
    const t0 = performance.now();
    const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(raw) });
    return { status: res.status, json: (await res.json()) as any, ms: performance.now() - t0 };
  };

  test('a message that keeps a worker busy past the limit is stopped and quarantined, not waited for; later messages are fine', async () => {
    assert.equal((await post(plainLetter(`before-${dialect}`))).json.status, 'letter');
    // 24 MB of HTML: seconds of work turning it into text.
    const heavy = await post(hugeHtmlLetter(24 * 1024 * 1024, `heavy-${dialect}`));
    assert.equal(heavy.status, 202, JSON.stringify(heavy.json));
    assert.equal(heavy.json.status, 'quarantined');
    assert.match(heavy.json.reason, /^reading the message took longer than 0\.8 s and was stopped$/);
    // The stopped worker is replaced; the next messages are read as usual.
    for (let i = 0; i < 3; i++) {
      const r = await post(plainLetter(`after-${dialect}-${i}`, `Letter ${i} after the stopped one: the council should publish its minutes, all of them, this month.`));
      assert.equal(r.status, 202);
      assert.equal(r.json.kind, 'letter', JSON.stringify(r.json));
      assert.equal(r.json.status, 'letter', JSON.stringify(r.json));
    }
    const redelivered = await post(hugeHtmlLetter(24 * 1024 * 1024, `heavy-${dialect}`));
    assert.equal(redelivered.json.id, heavy.json.id, 'a redelivery finds the quarantined message');
    assert.equal(redelivered.json.duplicate, true);
    console.log(`time limit [${dialect}]: a 24 MB HTML letter stopped after ${LIMIT_MS} ms and answered in ${heavy.ms.toFixed(0)} ms`);
  });
});
