// Sign-in, sessions, first-admin link, invitations, password reset, lockout.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { firstAdminLink, LOCK_AFTER, signInDelay, signInTiming } from '../../src/desk/accounts.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { call, createUser, PASSWORD, signInOverHttp } from './support.ts';

const tokenOf = (url: string) => url.split('/link/')[1]!;

forEachDialect('desk accounts', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect);
  });
  after(() => t.close());

  test('the first admin signs up through the one-time link; the link then stops working', async () => {
    const url = await firstAdminLink(t.ctx);
    assert.ok(url?.startsWith(`${t.url}/desk/#/link/`));
    const token = tokenOf(url!);
    assert.deepEqual((await call(t.url, 'GET', `/api/v1/session/links/${token}`)).json, { kind: 'first_admin', email: null, role: null });
    const short = await call(t.url, 'POST', `/api/v1/session/links/${token}`, { body: { email: 'boss@desk.example', name: 'Boss', password: 'short' } });
    assert.equal(short.status, 422);
    const res = await fetch(`${t.url}/api/v1/session/links/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'boss@desk.example', name: 'Boss', password: PASSWORD }) });
    assert.equal(res.status, 200);
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /^ld_session=[A-Za-z0-9_-]{40,}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    assert.equal(((await res.json()) as any).user.role, 'admin');
    assert.equal((await call(t.url, 'POST', `/api/v1/session/links/${token}`, { body: { email: 'x@desk.example', password: PASSWORD } })).status, 404);
    assert.equal(await firstAdminLink(t.ctx), null, 'no more first-admin links once there is a team');
  });

  test('sign in, me, sign out; the old cookie no longer works', async () => {
    const u = await createUser(t.ctx, 'editor');
    const s = await signInOverHttp(t.url, u.email.toUpperCase());
    assert.equal(s.status, 200);
    const me = await call(t.url, 'GET', '/api/v1/session', { cookie: s.cookie! });
    assert.equal(me.json.user.role, 'editor');
    assert.equal(me.json.csrfToken, s.csrf);
    assert.equal((await call(t.url, 'DELETE', '/api/v1/session', { cookie: s.cookie! })).status, 403, 'sign-out needs the CSRF token');
    assert.equal((await call(t.url, 'DELETE', '/api/v1/session', { cookie: s.cookie!, csrf: s.csrf! })).status, 200);
    assert.equal((await call(t.url, 'GET', '/api/v1/session', { cookie: s.cookie! })).status, 401);
  });

  test('failed sign-ins are slowed, then the account is locked; the right password does not get in while locked', async () => {
    assert.equal(signInDelay(1), 0);
    assert.ok(signInDelay(5) > signInDelay(4));
    signInTiming.scale = 0.02;
    const u = await createUser(t.ctx, 'viewer');
    let last = 0;
    for (let i = 0; i < LOCK_AFTER; i++) last = (await signInOverHttp(t.url, u.email, 'wrong password')).status;
    assert.equal(last, 429);
    const locked = await signInOverHttp(t.url, u.email);
    assert.equal(locked.status, 429);
    assert.equal(locked.json.error, 'locked');
    assert.equal(locked.cookie, null);
  });

  test('password reset by email link: the mail is in the outbox, the link sets a new password once and ends old sessions', async () => {
    const u = await createUser(t.ctx, 'editor');
    const old = await signInOverHttp(t.url, u.email);
    assert.equal((await call(t.url, 'POST', '/api/v1/session/password-reset', { body: { email: 'nobody@desk.example' } })).status, 202);
    assert.equal((await call(t.url, 'POST', '/api/v1/session/password-reset', { body: { email: u.email } })).status, 202);
    const mail = (await listOutbox(t.ctx.db, { limit: 50 })).find((m) => m.to.address === u.email && m.kind === 'team');
    assert.ok(mail, 'reset mail queued');
    assert.ok(!(await listOutbox(t.ctx.db, { limit: 50 })).some((m) => m.to.address === 'nobody@desk.example'));
    const link = /https?:\/\/\S+\/link\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    assert.equal((await call(t.url, 'GET', `/api/v1/session/links/${link}`)).json.kind, 'reset');
    assert.equal((await call(t.url, 'POST', `/api/v1/session/links/${link}`, { body: { password: 'the new password 2' } })).status, 200);
    assert.equal((await call(t.url, 'GET', '/api/v1/session', { cookie: old.cookie! })).status, 401, 'old sessions end');
    assert.equal((await signInOverHttp(t.url, u.email)).status, 401);
    assert.equal((await signInOverHttp(t.url, u.email, 'the new password 2')).status, 200);
    assert.equal((await call(t.url, 'POST', `/api/v1/session/links/${link}`, { body: { password: 'yet another password' } })).status, 404);
  });

  test('an admin invites with a role; the invitee joins with that role', async () => {
    const admin = await createUser(t.ctx, 'admin');
    const s = await signInOverHttp(t.url, admin.email);
    const inv = await call(t.url, 'POST', '/api/v1/invitations', { cookie: s.cookie!, csrf: s.csrf!, body: { email: 'new.viewer@desk.example', role: 'viewer' } });
    assert.equal(inv.status, 201);
    const mail = (await listOutbox(t.ctx.db, { limit: 50 })).find((m) => m.to.address === 'new.viewer@desk.example');
    assert.ok(mail?.text.includes(tokenOf(inv.json.url)));
    const joined = await call(t.url, 'POST', `/api/v1/session/links/${tokenOf(inv.json.url)}`, { body: { name: 'Vi Ewer', password: PASSWORD, email: 'someone.else@desk.example' } });
    assert.equal(joined.status, 200);
    assert.equal(joined.json.user.role, 'viewer');
    assert.equal(joined.json.user.email, 'new.viewer@desk.example', 'the invitation decides the address');
  });

  test('cookies are Secure when PUBLIC_URL is https', async () => {
    const https = await startTestApp(dialect, { PUBLIC_URL: 'https://desk.example' });
    try {
      https.ctx.config.publicUrl = 'https://desk.example';
      const u = await createUser(https.ctx, 'editor');
      const res = await fetch(`${https.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: PASSWORD }) });
      assert.match(res.headers.get('set-cookie')!, /; Secure$/);
    } finally {
      await https.close();
    }
  });
});
