// The desk's system tray lists what is kept out of the queue — auto-replies,
// bounces, spam — and quarantined mail, each with the reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, startTestApp, type TestApp } from '../support/app.ts';
import { FIXTURES } from '../support/fixtures.ts';

forEachDialect('system tray', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off' });
  });
  after(async () => t?.close());

  async function post(raw: Buffer): Promise<{ status: number; json: any }> {
    const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await t.token('inbound')}` }, body: new Uint8Array(raw) });
    return { status: res.status, json: await res.json() };
  }

  test('auto-replies and bounces are listed with their reason; letters are not', async () => {
    const dir = `${FIXTURES}set-of-emails/`;
    const autoreply = fs.readdirSync(dir).find((f) => f.startsWith('rfc3834'))!;
    const bounce = fs.readdirSync(dir).find((f) => f.startsWith('rfc3464'))!;
    assert.equal((await post(fs.readFileSync(dir + autoreply))).json.kind, 'autoreply');
    assert.equal((await post(fs.readFileSync(dir + bounce))).json.kind, 'bounce');
    const letter = fs.readFileSync(`${FIXTURES}corpus/mail/msg-001.eml`);
    assert.equal((await post(letter)).json.kind, 'letter');
    const tray = await getJson(`${t.url}/api/v1/tray`, await t.token('viewer'));
    assert.equal(tray.status, 200);
    const kinds = tray.json.items.map((i: { kind: string }) => i.kind).sort();
    assert.deepEqual(kinds, ['autoreply', 'bounce']);
    for (const item of tray.json.items) assert.ok(item.reason.length > 5, `a reason for ${item.kind}`);
    const onlyBounces = await getJson(`${t.url}/api/v1/tray?kind=bounce`, await t.token('viewer'));
    assert.deepEqual(onlyBounces.json.items.map((i: { kind: string }) => i.kind), ['bounce']);
  });
});
