// Webhooks against a real local HTTP receiver that fails the first attempts:
// every attempt is signed (HMAC-SHA256 over "timestamp.body"), failures are
// retried by the job runner, and the delivery log shows what happened.
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { verifySignature } from '../../src/publishing/webhooks.ts';
import { act, jobsDueNow, submitConfirmed } from './helpers.ts';

type Hit = { headers: http.IncomingHttpHeaders; body: string };

function receiver(failFirst: number): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = hits.length <= failFirst ? 503 : 200;
      res.end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${a.port}/hook`, hits, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

forEachDialect('webhooks', (dialect) => {
  let t: TestApp;
  before(async () => (t = await startTestApp(dialect)));
  after(() => t.close());

  test('only admins manage webhooks', async () => {
    const editor = await t.token('editor');
    assert.equal((await postJson(`${t.url}/api/v1/webhooks`, { url: 'http://127.0.0.1:9/x', events: ['letter.published'] }, { authorization: `Bearer ${editor}` })).status, 403);
    assert.equal((await getJson(`${t.url}/api/v1/webhooks`)).status, 401);
    const admin = await t.token('admin');
    assert.equal((await postJson(`${t.url}/api/v1/webhooks`, { url: 'ftp://example.com/x', events: ['letter.published'] }, { authorization: `Bearer ${admin}` })).status, 422);
    assert.equal((await postJson(`${t.url}/api/v1/webhooks`, { url: 'https://example.com/x', events: ['letter.deleted'] }, { authorization: `Bearer ${admin}` })).status, 422);
  });

  test('signed deliveries, retried until the receiver accepts, logged', async () => {
    const rx = await receiver(2);
    const admin = await t.token('admin');
    const reg = await postJson(`${t.url}/api/v1/webhooks`, { url: rx.url, events: ['letter.received', 'letter.published', 'letter.withdrawn'] }, { authorization: `Bearer ${admin}` });
    assert.equal(reg.status, 201);
    const { id: hookId, secret } = reg.json;
    assert.match(secret, /^whsec_/);
    try {
      const letterId = await submitConfirmed(t);
      await act(t, letterId, { action: 'publish', headline: 'Signed & sealed' });
      await act(t, letterId, { action: 'withdraw' });
      // Attempts: run what is due, then let the backoff pass, until nothing is left.
      for (let i = 0; i < 8; i++) {
        await jobsDueNow(t.ctx);
        await t.desk.background.runJobs();
      }
      const ok = rx.hits.filter((h, i) => i >= 2);
      assert.equal(rx.hits.length, 5, 'two failures, then one delivery per event');
      const events = ok.map((h) => h.headers['x-letterdesk-event']);
      assert.deepEqual(new Set(events), new Set(['letter.received', 'letter.published', 'letter.withdrawn']));
      for (const h of rx.hits) {
        const sig = String(h.headers['x-letterdesk-signature']);
        assert.ok(verifySignature(secret, sig, h.body), 'signature verifies');
        const ts = String(h.headers['x-letterdesk-timestamp']);
        const expected = crypto.createHmac('sha256', secret).update(`${ts}.${h.body}`).digest('hex');
        assert.equal(sig, `t=${ts},v1=${expected}`);
        assert.equal(verifySignature(secret, sig, h.body.replace('letter', 'LETTER')), false, 'a changed body fails');
        assert.equal(verifySignature('whsec_other', sig, h.body), false, 'another secret fails');
      }
      const published = JSON.parse(ok.find((h) => h.headers['x-letterdesk-event'] === 'letter.published')!.body);
      assert.equal(published.event, 'letter.published');
      assert.equal(published.data.letter.id, letterId);
      assert.equal(published.data.letter.headline, 'Signed & sealed');
      const received = ok.find((h) => h.headers['x-letterdesk-event'] === 'letter.received')!.body;
      assert.doesNotMatch(received, /okent@example\.com/, 'no address in letter.received');

      const log = await getJson(`${t.url}/api/v1/webhooks/${hookId}/deliveries`, admin);
      assert.equal(log.status, 200);
      assert.equal(log.json.items.length, 3);
      for (const d of log.json.items) assert.equal(d.status, 'delivered');
      const retried = log.json.items.filter((d: any) => d.attempts > 1);
      assert.ok(retried.length >= 1);
      assert.ok(log.json.items.every((d: any) => d.lastStatus === 200));
      assert.equal(log.json.items.reduce((n: number, d: any) => n + d.attempts, 0), 5);
    } finally {
      await rx.close();
    }
  });
});
