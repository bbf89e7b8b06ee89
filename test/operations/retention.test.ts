// The retention policy as an operator sets it: nothing is removed before its
// time or when a setting is off; past its time a declined letter is gone with
// its history, raw mail is gone while its letter keeps its text, tray mail is
// gone, finished jobs and expired sessions are gone; each run logs what it
// removed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Retention } from '../../src/config/index.ts';
import { applyRetention } from '../../src/operations/retention.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { forEachDialect } from '../support/databases.ts';
import { call, createUser, signInOverHttp } from '../desk/support.ts';
import { LETTERS, letterMail } from './nodes.ts';

const DAY = 86_400_000;
const later = (days: number) => new Date(Date.now() + days * DAY);
const DEFAULTS: Retention = { declinedDays: 365, rawMailDays: 90, trayDays: 30, jobsDays: 7, expiredDays: 0 };
const OFF: Retention = { declinedDays: null, rawMailDays: null, trayDays: null, jobsDays: null, expiredDays: null };

function outOfOffice(tag: string): Buffer {
  return Buffer.from(
    [`From: Away <away.${tag}@example.net>`, `To: ${LETTERS}`, 'Subject: Out of office', 'Auto-Submitted: auto-replied', `Message-ID: <ooo-${tag}@example.net>`, '', 'I am away until Monday.', ''].join('\r\n'),
  );
}

forEachDialect('retention', (dialect) => {
  let t: TestApp;
  let admin: string;
  const ids = { declined: '', kept: '', mailLetter: '', mailInbound: '', tray: '' };
  let cookie: string;

  const raw = async (message: Buffer) => {
    const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(message) });
    assert.equal(res.status, 202);
    return (await res.json()) as { id: string; letterId?: string };
  };
  const status = async (path: string) => (await getJson(`${t.url}${path}`, admin)).status;

  before(async () => {
    t = await startTestApp(dialect, { LETTERS_ADDRESS: LETTERS });
    admin = await t.token('admin');
    const letter = (n: number) => ({ article: 'seed-isi-taliban', name: `Writer ${n}`, email: `w${n}@example.org`, town: 'Eastbank', body: `Letter ${n}: the footbridge is overdue and the council should say when it opens.`, consent: true });
    ids.declined = (await postJson(`${t.url}/api/v1/letters`, letter(1))).json.id;
    ids.kept = (await postJson(`${t.url}/api/v1/letters`, letter(2))).json.id;
    const mail = await raw(letterMail(3, `retention-${dialect}`));
    assert.ok(mail.letterId, 'the mail became a letter');
    [ids.mailInbound, ids.mailLetter] = [mail.id, mail.letterId];
    ids.tray = (await raw(outOfOffice(dialect))).id;
    assert.equal((await getJson(`${t.url}/api/v1/inbound/${ids.tray}`, admin)).json.status, 'tray');
    await t.drainEvents();
    await t.desk.background.runJobs(); // acknowledgements: finished jobs
    const decline = await call(t.url, 'POST', `/api/v1/letters/${ids.declined}/actions`, { bearer: admin, body: { action: 'decline' } });
    assert.equal(decline.status, 200, JSON.stringify(decline.json));
    // A session as the desk opens one at sign-in (14 days).
    const signedIn = await signInOverHttp(t.url, (await createUser(t.ctx, 'editor')).email);
    assert.ok(signedIn.cookie);
    cookie = signedIn.cookie;
  });
  after(() => t.close());

  const sessionWorks = async () => (await call(t.url, 'GET', '/api/v1/session', { cookie })).status === 200;

  test('with every setting off, nothing is removed however old', async () => {
    const r = await applyRetention(t.ctx, OFF, later(10 * 365));
    assert.deepEqual(Object.values(r), [0, 0, 0, 0, 0, 0]);
    assert.equal(await status(`/api/v1/letters/${ids.declined}`), 200);
    assert.equal(await status(`/api/v1/inbound/${ids.mailInbound}/raw`), 200);
    assert.equal(await status(`/api/v1/inbound/${ids.tray}`), 200);
  });

  test('after 10 days: only finished jobs go (kept 7 days); letters, mail and the session stay', async () => {
    const r = await applyRetention(t.ctx, DEFAULTS, later(10));
    assert.ok(r.finishedJobs >= 3, `finished jobs removed: ${r.finishedJobs}`);
    assert.deepEqual({ ...r, finishedJobs: 0 }, { declinedLetters: 0, rawMail: 0, trayMail: 0, finishedJobs: 0, expiredSessions: 0, spentProofOfWork: 0 });
    assert.equal(await status(`/api/v1/inbound/${ids.mailInbound}/raw`), 200);
    assert.equal(await status(`/api/v1/inbound/${ids.tray}`), 200);
    assert.ok(await sessionWorks());
    assert.ok(t.logs.some((l) => l.includes('"msg":"retention applied"') && l.includes(`"finishedJobs":${r.finishedJobs}`)), 'the run logs what it removed');
  });

  test('after 100 days: raw mail goes but its letter keeps its text; tray mail and the expired session go', async () => {
    const r = await applyRetention(t.ctx, DEFAULTS, later(100));
    assert.equal(r.rawMail, 1);
    assert.equal(r.trayMail, 1);
    assert.equal(r.expiredSessions, 1);
    assert.equal(r.declinedLetters, 0);
    const gone = await getJson(`${t.url}/api/v1/inbound/${ids.mailInbound}/raw`, admin);
    assert.equal(gone.status, 410);
    assert.match(gone.json.message, /retention/);
    const letter = await getJson(`${t.url}/api/v1/letters/${ids.mailLetter}`, admin);
    assert.equal(letter.status, 200);
    assert.match(letter.json.body, /the harbour footbridge is overdue/);
    assert.equal((await getJson(`${t.url}/api/v1/inbound/${ids.mailInbound}`, admin)).json.status, 'letter', 'the record of its arrival stays');
    assert.equal(await status(`/api/v1/inbound/${ids.tray}`), 404);
    assert.equal(await sessionWorks(), false);
    assert.equal(await status(`/api/v1/letters/${ids.declined}`), 200, 'a declined letter is kept a year');
  });

  test('after 400 days: the declined letter is gone; the undecided one stays', async () => {
    const r = await applyRetention(t.ctx, DEFAULTS, later(400));
    assert.equal(r.declinedLetters, 1);
    assert.equal(await status(`/api/v1/letters/${ids.declined}`), 404);
    assert.equal(await status(`/api/v1/letters/${ids.kept}`), 200);
    const again = await applyRetention(t.ctx, DEFAULTS, later(400));
    assert.deepEqual(Object.values(again), [0, 0, 0, 0, 0, 0], 'a second run finds nothing more');
  });
});
