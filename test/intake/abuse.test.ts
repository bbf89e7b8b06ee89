// Abuse resistance without third parties: proof of work, rate limits per
// client and per writer; each refusal says why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { solveChallenge } from 'altcha-lib/v1';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';

const good = { article: 'a-museum-maps', name: 'Hollis Brandvold', email: 'hb@example.org', town: 'Port Clement', body: 'I remember the basement well.', consent: true };

async function solved(url: string): Promise<string> {
  const c = (await getJson(`${url}/api/v1/pow/challenge`)).json;
  const s = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  assert.ok(s, 'challenge solvable');
  return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: s.number, salt: c.salt, signature: c.signature })).toString('base64');
}

forEachDialect('proof of work', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect, { LETTERDESK_POW: 'on' });
  });
  after(async () => t?.close());

  test('the API refuses a letter without a solved challenge, and says how to get one', async () => {
    const res = await postJson(`${t.url}/api/v1/letters`, good);
    assert.equal(res.status, 422);
    assert.match(res.json.fields.altcha, /pow\/challenge/);
  });

  test('a solved challenge is accepted once; a reused or forged one is refused', async () => {
    const altcha = await solved(t.url);
    const ok = await postJson(`${t.url}/api/v1/letters`, { ...good, altcha });
    assert.equal(ok.status, 202);
    const letter = await getJson(`${t.url}/api/v1/letters/${ok.json.id}`, await t.token('viewer'));
    assert.equal(letter.json.pow, 'verified');
    const reused = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'other@example.org', altcha });
    assert.equal(reused.status, 422);
    assert.match(reused.json.fields.altcha, /already used/);
    const forged = JSON.parse(Buffer.from(await solved(t.url), 'base64').toString());
    forged.number += 1;
    const bad = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'forger@example.org', altcha: Buffer.from(JSON.stringify(forged)).toString('base64') });
    assert.equal(bad.status, 422);
    assert.match(bad.json.fields.altcha, /failed or expired/);
  });

  test('the HTML form without JavaScript still delivers, marked for review', async () => {
    const form = new URLSearchParams({ name: 'No Script', email: 'noscript@example.org', town: 'Lakemont', body: 'Sent from a browser with scripts off.', consent: 'yes' });
    const res = await fetch(`${t.url}/articles/a-museum-maps/letter`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(res.status, 303);
    const list = await getJson(`${t.url}/api/v1/letters?q=scripts`, await t.token('viewer'));
    const letter = await getJson(`${t.url}/api/v1/letters/${list.json.items[0].id}`, await t.token('viewer'));
    assert.equal(letter.json.pow, 'missing');
  });
});

forEachDialect('rate limits', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect, { LETTERDESK_RATE_LIMIT: 'on' });
  });
  after(async () => t?.close());

  test('one writer (any address variant) is limited per hour, with the reason', async () => {
    const variants = ['Writer+1@Example.org', 'writer+2@example.org', 'WRITER@example.org', 'writer+3@example.org', 'writer@example.org'];
    for (const email of variants) assert.equal((await postJson(`${t.url}/api/v1/letters`, { ...good, email })).status, 202);
    const sixth = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'writer+6@example.org' });
    assert.equal(sixth.status, 429);
    assert.equal(sixth.json.error, 'rate_limited');
    assert.match(sixth.json.message, /last hour/);
  });

  test("a retry of the letter that reached a writer's limit gets its first answer, not the limit", async () => {
    const send = (n: number, key: string) => postJson(`${t.url}/api/v1/letters`, { ...good, email: `retrier+${n}@example.org` }, { 'idempotency-key': key });
    let fifth = { status: 0, json: {} as any };
    for (let n = 1; n <= 5; n++) fifth = await send(n, `retrier-key-${n}`);
    assert.equal(fifth.status, 202);
    const retry = await send(5, 'retrier-key-5');
    assert.equal(retry.status, 202, JSON.stringify(retry.json));
    assert.equal(retry.json.id, fifth.json.id, 'the same letter');
    const other = await send(6, 'retrier-key-6');
    assert.equal(other.status, 429, 'a new letter is still refused');
  });

  test('one client is limited per minute, with the reason', async () => {
    let last = { status: 0, json: {} as any };
    for (let i = 0; i < 25 && last.status !== 429; i++) last = await postJson(`${t.url}/api/v1/letters`, { ...good, email: `client${i}@example.net` });
    assert.equal(last.status, 429);
    assert.match(last.json.message, /try again in (a few seconds|about \d+ seconds|about a minute)/);
  });
});
