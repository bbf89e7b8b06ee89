// Every 429 and 503 says when to come back: Retry-After in seconds, and the
// message (JSON for the API, the page for a browser's form) in words. Walks
// every route that declares a 429 or 503, and every public door the per-client
// rate limit guards, provoking each refusal for real: the hourly limit per
// writer, the per-client limit, a locked account, load shed at the doors
// (requests held open past the write queue limit), the mail workers stopped
// under a release from the tray, a storage fault under the mail webhook, a
// node that is not ready, a database that does not answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { createUser, signInOverHttp } from '../desk/support.ts';
import { LOCK_AFTER, signInTiming } from '../../src/desk/accounts.ts';
import { allRoutes } from '../../src/server/http.ts';
import { closeMailPool, mailPoolThreads } from '../../src/inbound/mail-pool.ts';

/** When, in words, as util/busy.ts says it. */
const WHEN = /again in (a few seconds|about \d+ (seconds|minutes|hours)|about a minute|about an hour)|another in (a few seconds|about \d+ (seconds|minutes|hours)|about a minute|about an hour)/;

type Refusal = { status: number; retryAfter: string | null; text: string; type: string };

async function refusal(res: Response): Promise<Refusal> {
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** Asserts a refusal says when, in seconds and in words; the message is JSON's `message` or the page's text. */
function saysWhen(r: Refusal, status: number, what: string): void {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.match(r.retryAfter ?? '', /^[1-9]\d*$/, `${what}: Retry-After is ${r.retryAfter}`);
  const words = r.type.includes('json') ? String((JSON.parse(r.text) as { message?: string }).message) : r.text.replace(/<[^>]+>/g, ' ');
  assert.match(words, WHEN, `${what} does not say when in words: ${words.slice(0, 300)}`);
}

const letter = (email: string, n: number) => ({ article: 'seed-isi-taliban', name: 'Ruth Ellis', email, town: 'Leeds', body: `Letter ${n}: the council should keep the library open on Sundays.`, consent: true });
const form = (email: string) => new URLSearchParams({ name: 'Ruth Ellis', email, town: 'Leeds', body: 'The council should keep the library open on Sundays, and say so plainly.', consent: 'yes' }).toString();

forEachDialect('every 429 and 503 says when', (dialect) => {
  // Which refusals were seen, as "METHOD url status".
  const covered = new Set<string>();
  let limited: TestApp;
  let shedding: TestApp;

  before(async () => {
    // Per-client and per-writer limits on, as in production; proof of work off.
    limited = await startTestApp(dialect, { LETTERDESK_RATE_LIMIT: 'on' });
    // Limits off, and a write queue limit at the least that sheds (32 under way).
    shedding = await startTestApp(dialect, { LETTERDESK_WRITE_QUEUE_LIMIT: '32' });
  });
  after(async () => {
    signInTiming.scale = 1;
    await limited?.close();
    await shedding?.close().catch(() => {});
    await shedding?.db.drop().catch(() => {});
  });

  test("a writer's sixth letter in an hour: the API and the form say when the next may go", async () => {
    const email = `ruth-${dialect}@example.org`;
    for (let n = 0; n < 5; n++) {
      const res = await fetch(`${limited.url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(letter(email, n)) });
      assert.equal(res.status, 202);
    }
    const api = await refusal(await fetch(`${limited.url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(letter(email, 6)) }));
    saysWhen(api, 429, 'the API');
    assert.ok(Number(api.retryAfter) > 3000 && Number(api.retryAfter) <= 3600, `the next letter may go when the first is an hour old, not in ${api.retryAfter} s`);
    covered.add('POST /api/v1/letters 429');

    const page = await refusal(await fetch(`${limited.url}/articles/seed-isi-taliban/letter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(email), redirect: 'manual' }));
    saysWhen(page, 429, 'the form');
    assert.match(page.type, /text\/html/);
    assert.match(page.text, /Your letter has not been sent yet/);
    assert.match(page.text, /keep the library open on Sundays, and say so plainly/, 'what the writer typed is still in the form');
    covered.add('POST /articles/:articleId/letter 429');
  });

  test('a locked account: sign-in says when to try again', async () => {
    signInTiming.scale = 0.01;
    const u = await createUser(limited.ctx, 'editor');
    for (let i = 0; i < LOCK_AFTER; i++) await signInOverHttp(limited.url, u.email, 'not the password');
    const res = await fetch(`${limited.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: 'not the password' }) });
    saysWhen(await refusal(res), 429, 'sign-in when locked');
    covered.add('POST /api/v1/session 429');
  });

  test('the per-client limit on every public door says when', async () => {
    const doors = allRoutes(limited.ctx).filter((r) => r.access === 'public' && r.mutates);
    assert.ok(doors.length >= 5);
    for (const r of doors) {
      const url = limited.url + r.url.replace(':articleId', 'seed-isi-taliban').replace(/:\w+/g, 'x');
      const isForm = !r.url.startsWith('/api/');
      let last: Refusal | null = null;
      // 20 a minute; what the first ones get does not matter here.
      for (let i = 0; i < 30 && last?.status !== 429; i++)
        last = await refusal(await fetch(url, { method: r.method, headers: { 'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json' }, body: isForm ? 'x=1' : '{}', redirect: 'manual' }));
      saysWhen(last!, 429, `${r.method} ${r.url}`);
      if (isForm) assert.match(last!.type, /text\/html/, `${r.url} answers a browser with a page`);
      covered.add(`${r.method} ${r.url} 429`);
    }
  });

  test('a node that is not ready says when to ask again', async () => {
    // A test desk runs no background, so its readiness fails on that check.
    const r = await refusal(await fetch(`${limited.url}/readyz`));
    saysWhen(r, 503, '/readyz');
    assert.match(JSON.parse(r.text).message, /background/);
    covered.add('GET /readyz 503');
  });

  test('load shed at the doors in: the API, the form and the mail webhooks say when', async () => {
    // 32 requests under way at the doors (headers sent, bodies not yet): the limit.
    const held: http.ClientRequest[] = [];
    for (let i = 0; i < 32; i++) {
      const req = http.request(`${shedding.url}/api/v1/letters`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': 1000 } });
      req.on('error', () => {});
      req.flushHeaders();
      held.push(req);
    }
    try {
      const inbound = await shedding.token('inbound');
      const tries = async (send: () => Promise<Response>) => {
        // The held requests reach the door as the server reads their headers: ask until it is full.
        for (let i = 0; i < 200; i++) {
          const r = await refusal(await send());
          if (r.status === 503) return r;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error('the door never filled');
      };
      const api = await tries(() => fetch(`${shedding.url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
      saysWhen(api, 503, 'the API when shedding');
      covered.add('POST /api/v1/letters 503');
      const page = await refusal(await fetch(`${shedding.url}/articles/seed-isi-taliban/letter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form('amy@example.org'), redirect: 'manual' }));
      saysWhen(page, 503, 'the form when shedding');
      assert.match(page.type, /text\/html/);
      covered.add('POST /articles/:articleId/letter 503');
      for (const [url, type] of [
        ['/api/v1/inbound/raw', 'message/rfc822'],
        ['/api/v1/inbound/postmark', 'application/json'],
        ['/api/v1/inbound/mailgun', 'application/x-www-form-urlencoded'],
        ['/api/v1/inbound/mailgun/mime', 'application/x-www-form-urlencoded'],
      ] as const) {
        const r = await refusal(await fetch(shedding.url + url, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${inbound}` }, body: 'x' }));
        saysWhen(r, 503, `${url} when shedding`);
        covered.add(`POST ${url} 503`);
      }
    } finally {
      for (const req of held) req.destroy();
    }
    // Once they are gone, letters are taken again.
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${shedding.url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(letter('amy@example.org', i)) });
      if (res.status === 202) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail('letters were not taken again after the load went');
  });

  test('a release from the tray while the mail workers are stopped: 503 with when, not 500', async () => {
    const labels = fs.readFileSync(`${FIXTURES}corpus/labels.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const spamFile = labels.find((l: { kind: string; writerEmail: string }) => l.kind === 'spam' && !l.writerEmail.startsWith('letters@')).file;
    const posted = await fetch(`${shedding.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await shedding.token('inbound')}` }, body: new Uint8Array(fs.readFileSync(`${FIXTURES}corpus/mail/${spamFile}`)) });
    const spam = (await posted.json()) as { id: string; kind: string };
    assert.equal(spam.kind, 'spam');
    // No worker alive: the release's reading waits for one to start (module
    // loading takes a good part of a second), and the pool is stopped meanwhile.
    await closeMailPool();
    const answer = fetch(`${shedding.url}/api/v1/inbound/${spam.id}/release`, { method: 'POST', headers: { authorization: `Bearer ${await shedding.token('editor')}` } });
    while (mailPoolThreads() === 0) await new Promise((resolve) => setImmediate(resolve));
    await closeMailPool();
    const r = await refusal(await answer);
    saysWhen(r, 503, 'the release');
    covered.add('POST /api/v1/inbound/:id/release 503');
    // With workers again, the same release goes through.
    const again = await fetch(`${shedding.url}/api/v1/inbound/${spam.id}/release`, { method: 'POST', headers: { authorization: `Bearer ${await shedding.token('editor')}` } });
    assert.equal(again.status, 200);
  });

  test('a mail webhook whose message cannot be stored says when to send it again', async () => {
    await shedding.ctx.db.writes.run((trx) => sql`drop table inbound_messages`.execute(trx));
    const raw = fs.readFileSync(`${FIXTURES}corpus/mail/msg-001.eml`);
    const r = await refusal(await fetch(`${shedding.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await shedding.token('inbound')}` }, body: new Uint8Array(raw) }));
    saysWhen(r, 503, 'the webhook on a storage fault');
  });

  test('health, when the database does not answer, says when to ask again', async () => {
    await shedding.ctx.db.close();
    saysWhen(await refusal(await fetch(`${shedding.url}/healthz`)), 503, '/healthz');
    covered.add('GET /healthz 503');
  });

  test('a node that is stopping answers a request already on its way with 503 and when', async () => {
    const app = await startTestApp(dialect);
    // One connection: a letter whose body is still coming when the node is
    // told to stop, then a second request pipelined behind it.
    const socket = net.connect(Number(new URL(app.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const body = JSON.stringify(letter('pat@example.org', 1));
    socket.on('error', () => {});
    // Expect: 100-continue: the desk says "100 Continue" once it has the request (its headers read, its hooks begun).
    socket.write(`POST /api/v1/letters HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    while (!received.includes('100 Continue')) await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = app.close();
    // Stopping has begun once the desk no longer takes new connections.
    const port = Number(new URL(app.url).port);
    for (;;) {
      const refused = await new Promise<boolean>((resolve) => {
        const probe = net.connect(port, '127.0.0.1');
        probe.once('connect', () => (probe.destroy(), resolve(false)));
        probe.once('error', () => resolve(true));
      });
      if (refused) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.write(`${body}GET /api/v1/queue/counts HTTP/1.1\r\nHost: x\r\n\r\n`);
    await closed;
    await stopped;
    const answers = received.split(/(?=HTTP\/1\.1 )/).filter((a) => !a.startsWith('HTTP/1.1 100'));
    assert.equal(answers.length, 2, received);
    assert.match(answers[0]!, /^HTTP\/1\.1 202/, 'the letter under way is taken');
    const [head, text] = answers[1]!.split('\r\n\r\n');
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head!)![1]);
    saysWhen({ status, retryAfter: /\r\nretry-after: (\S+)/i.exec(head!)?.[1] ?? null, text: text!, type: /\r\ncontent-type: ([^\r]+)/i.exec(head!)?.[1] ?? '' }, 503, 'a stopping node');
  });

  test('every route that declares a 429 or 503, and every public door, was walked', () => {
    const declared = allRoutes(limited.ctx).flatMap((r) => [429, 503].filter((s) => s in r.responses).map((s) => `${r.method} ${r.url} ${s}`));
    const doors = allRoutes(limited.ctx).filter((r) => r.access === 'public' && r.mutates).map((r) => `${r.method} ${r.url} 429`);
    const missing = [...new Set([...declared, ...doors])].filter((k) => !covered.has(k));
    assert.deepEqual(missing, []);
  });
});
