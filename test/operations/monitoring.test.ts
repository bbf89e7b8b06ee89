// What an operator watches: /metrics (Prometheus text) moves as letters come
// in by each door; it answers only this machine unless METRICS_TOKEN is set;
// /readyz says whether the node can take traffic and why not (the database
// out of reach, the background not running); every answer carries a request
// id, and the request's log line carries it too.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { forEachDialect, createTestDatabase } from '../support/databases.ts';
import { postJson, startAppOn, type TestApp } from '../support/app.ts';
import { pgUnavailable } from '../support/env.ts';
import { startMailDesk, LETTERS, type MailDesk } from '../email/support.ts';

/** The value of one series in Prometheus text, 0 when absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const scrape = async (app: TestApp, headers: Record<string, string> = {}) => {
  const r = await fetch(`${app.url}/metrics`, { headers });
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
};

function letterMail(n: number): string {
  return [`From: Reader ${n} <reader${n}@example.net>`, `To: ${LETTERS}`, `Subject: The footbridge ${n}`, `Message-ID: <m${n}-${Date.now()}@example.net>`, `Date: ${new Date().toUTCString()}`, '', `The harbour footbridge is overdue (${n}).`, ''].join('\r\n');
}

forEachDialect('monitoring', (dialect) => {
  test('the counters move with letters by every door; the queue and the background are gauges', async () => {
    const app: MailDesk = await startMailDesk(dialect);
    try {
      const before = await scrape(app);
      assert.equal(before.status, 200);
      assert.match(before.type, /^text\/plain; version=0\.0\.4/);
      assert.match(before.text, /# HELP letterdesk_letters_received_total /);

      // The form, the JSON API, SMTP and the raw-mail webhook.
      const form = await fetch(`${app.url}/articles/seed-isi-taliban/letter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: 'Form Writer', email: 'form@example.org', town: 'Eastbank', body: 'By the form: the footbridge is overdue.', consent: 'on' }), redirect: 'manual' });
      assert.equal(form.status, 303);
      const api = await postJson(`${app.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Api Writer', email: 'api@example.org', town: 'Eastbank', body: 'By the API: the footbridge is overdue.', consent: true });
      assert.equal(api.status, 202);
      for (const n of [1, 2]) assert.ok((await app.send(letterMail(n))).ok);
      const inbound = await app.token('inbound');
      const raw = await fetch(`${app.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${inbound}` }, body: letterMail(3) });
      assert.equal(raw.status, 202);
      const refused = await app.send(letterMail(4), { to: ['someone-else@review.example.com'] });
      assert.equal(refused.ok, false);
      await app.drainEvents();

      const after = (await scrape(app)).text;
      for (const door of ['form', 'api']) assert.equal(value(after, `letterdesk_letters_received_total{door="${door}"}`) - value(before.text, `letterdesk_letters_received_total{door="${door}"}`), 1, door);
      assert.equal(value(after, 'letterdesk_letters_received_total{door="email"}') - value(before.text, 'letterdesk_letters_received_total{door="email"}'), 3, 'two by SMTP, one by the webhook');
      assert.equal(value(after, 'letterdesk_intake_seconds_count{door="email"}'), 3);
      assert.equal(value(after, 'letterdesk_smtp_answers_total{code="250"}'), 2);
      assert.equal(value(after, 'letterdesk_smtp_answers_total{code="550"}'), 1);
      assert.ok(value(after, 'letterdesk_screening_seconds_count') >= 5, 'every letter was screened (in the writer thread)');
      assert.ok(value(after, 'letterdesk_letters{status="new"}') >= 3);
      assert.ok(value(after, 'letterdesk_http_requests_total{method="POST",route="/api/v1/letters",status="202"}') >= 1);
      assert.equal(value(after, 'letterdesk_database_up'), 1);
      assert.match(after, /letterdesk_jobs\{state="waiting"\} \d+/);
      assert.match(after, /letterdesk_process_cpu_user_seconds_total \d/);
      assert.equal(value(after, 'letterdesk_mail_waiting'), 0);

      // Mail SMTP took and the desk has not read yet: counted, with how long the oldest has waited, until it is read.
      assert.ok((await app.send(letterMail(5), {}, { read: false })).ok);
      await new Promise((r) => setTimeout(r, 1100));
      const spooled = (await scrape(app)).text;
      assert.equal(value(spooled, 'letterdesk_mail_waiting'), 1);
      assert.ok(value(spooled, 'letterdesk_mail_waiting_oldest_seconds') >= 1);
      await app.readSpooled();
      const read = (await scrape(app)).text;
      assert.deepEqual([value(read, 'letterdesk_mail_waiting'), value(read, 'letterdesk_mail_waiting_oldest_seconds')], [0, 0]);
    } finally {
      await app.close();
    }
  });

  test('a scraper from elsewhere needs METRICS_TOKEN; with one set, the token', async () => {
    const open = await startMailDesk(dialect, { env: { TRUST_PROXY: '1' } });
    try {
      assert.equal((await scrape(open, { 'x-forwarded-for': '203.0.113.9' })).status, 403, 'from elsewhere without a token');
      assert.equal((await scrape(open)).status, 200, 'from this machine');
    } finally {
      await open.close();
    }
    const locked = await startMailDesk(dialect, { env: { METRICS_TOKEN: 's3cret-metrics' } });
    try {
      assert.equal((await scrape(locked)).status, 401);
      assert.equal((await scrape(locked, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await scrape(locked, { authorization: 'Bearer s3cret-metrics' })).status, 200);
    } finally {
      await locked.close();
    }
  });

  test('readiness: not ready until the background runs; every answer has a request id, kept from the proxy', async () => {
    const app = await startMailDesk(dialect);
    try {
      const idle = await fetch(`${app.url}/readyz`);
      assert.equal(idle.status, 503);
      assert.equal(((await idle.json()) as any).checks.background, 'not running');
      await app.desk.background.run({ events: 200, jobs: 500 });
      let ready: any;
      for (let i = 0; i < 50; i++) {
        const r = await fetch(`${app.url}/readyz`);
        ready = { status: r.status, body: await r.json() };
        if (r.status === 200) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.deepEqual(ready, { status: 200, body: { ready: true, checks: { database: 'ok', migrations: 'ok', background: 'ok' } } });

      const given = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'proxy-1234' } });
      assert.equal(given.headers.get('x-request-id'), 'proxy-1234');
      const made = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
      assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      const line = app.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.reqId === 'proxy-1234');
      assert.ok(line, 'the request log line carries the id');
      assert.equal(line.route, '/healthz');
    } finally {
      await app.desk.background.run({ events: null, jobs: null });
      await app.close();
    }
  });
});

// PostgreSQL behind a proxy the test can cut: the database out of reach, as an operator would see it.
test('readiness answers 503 while PostgreSQL is out of reach, and 200 again once it is back', { skip: (await pgUnavailable()) ?? false }, async () => {
  const db = await createTestDatabase('postgres');
  const target = new URL(db.databaseUrl!);
  const sockets = new Set<net.Socket>();
  let accepting = true;
  const proxy = net.createServer((client) => {
    if (!accepting) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const viaProxy = new URL(db.databaseUrl!);
  viaProxy.port = String((proxy.address() as net.AddressInfo).port);
  // Migrate directly, then run the desk through the proxy.
  const direct = await startAppOn(db);
  await direct.close();
  const app = await startAppOn({ ...db, databaseUrl: viaProxy.toString() });
  try {
    await app.desk.background.run({ events: 200, jobs: 500 });
    const ok = async () => (await fetch(`${app.url}/readyz`)).status;
    for (let i = 0; i < 50 && (await ok()) !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await ok(), 200);

    accepting = false;
    for (const s of sockets) s.destroy();
    const down = await fetch(`${app.url}/readyz`);
    assert.equal(down.status, 503);
    const body = (await down.json()) as any;
    assert.match(body.checks.database, /^unreachable: /);
    assert.equal((await fetch(`${app.url}/metrics`).then((r) => r.text())).includes('letterdesk_database_up 0'), true);

    accepting = true;
    let back = 503;
    for (let i = 0; i < 100 && back !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await ok();
    }
    assert.equal(back, 200, 'ready again once the database answers');
  } finally {
    await app.desk.background.run({ events: null, jobs: null }).catch(() => {});
    await app.close();
    proxy.close();
    await db.drop();
  }
});
