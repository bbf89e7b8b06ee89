// Walks EVERY route of the server (allRoutes) with no credentials, with a
// session and a token of each role, and with another session's CSRF token,
// and checks each answer against the route's declared access.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDeskBuilt } from '../../src/desk/web-build.ts';
import { allRoutes } from '../../src/server/http.ts';
import type { RouteSpec } from '../../src/server/route.ts';
import { ROLES, type Role } from '../../src/letters/lifecycle.ts';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createUser, openSession } from './support.ts';

type Spec = RouteSpec<any, any, any>;
const DESK_ROLES = ['admin', 'editor', 'viewer'] as const;

function requestFor(r: Spec): { path: string; init: RequestInit } {
  const path = r.url.replace(/:[A-Za-z]+/g, 'AAAAAAAAAAAAAAAAAAAAAAAA').replace('*', 'x');
  if (r.method === 'GET' || r.method === 'DELETE') return { path, init: { method: r.method } };
  const type = (r.consumes ?? 'application/json').split(',')[0]!.trim();
  const body = type === 'application/json' ? '{}' : type.includes('urlencoded') ? 'a=b' : 'Subject: x\r\n\r\nx\r\n';
  return { path, init: { method: r.method, body, headers: { 'content-type': type } } };
}

async function send(t: TestApp, r: Spec, headers: Record<string, string>): Promise<number> {
  const { path, init } = requestFor(r);
  const res = await fetch(`${t.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers }, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

const label = (r: Spec) => `${r.method} ${r.url}`;

// The test app runs no background work, so readiness rightly answers 503 (its
// own test covers when it answers 200); for this walk any answer but a server
// error or a refusal of access will do.
const serverError = (r: Spec, status: number) => status >= 500 && !(r.url === '/readyz' && status === 503);

forEachDialect('authorization of every route', (dialect) => {
  let t: TestApp;
  let routes: Spec[];
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const userIds = new Map<string, string>();

  before(async () => {
    // On a fresh clone the desk's files are built at first start and /desk
    // answers 503 until then; this walk is about access, so wait for the build.
    await ensureDeskBuilt();
    t = await startTestApp(dialect);
    routes = allRoutes(t.ctx);
    for (const role of DESK_ROLES) userIds.set(role, (await createUser(t.ctx, role)).id);
  });
  after(() => t.close());

  // A fresh session per request: some routes (sign-out) end the session they are called with.
  const freshSession = (role: string) => openSession(t.ctx, userIds.get(role)!);

  test('the table has the desk routes and every non-public route names its roles', () => {
    assert.ok(routes.length >= 20, `only ${routes.length} routes`);
    for (const r of routes) {
      assert.ok(r.access === 'public' || (Array.isArray(r.access) && r.access.length > 0 && r.access.every((x) => (ROLES as readonly string[]).includes(x))), label(r));
    }
    for (const u of ['/api/v1/session', '/api/v1/users', '/api/v1/tokens', '/api/v1/settings', '/api/v1/letters/bulk', '/api/v1/queue/counts']) assert.ok(routes.some((r) => r.url === u), u);
  });

  test('without credentials: 401 on every non-public route, never 401/403 on public ones', async () => {
    for (const r of routes) {
      const status = await send(t, r, {});
      if (r.access === 'public') assert.ok(status !== 401 && status !== 403 && !serverError(r, status), `${label(r)} → ${status}`);
      else assert.equal(status, 401, label(r));
    }
  });

  test('with a forged or expired session cookie: 401 on every non-public route', async () => {
    for (const r of routes.filter((x) => x.access !== 'public')) {
      assert.equal(await send(t, r, { cookie: 'ld_session=forgedforgedforgedforgedforged' }), 401, label(r));
    }
  });

  for (const role of DESK_ROLES) {
    test(`session of a ${role}: allowed routes answer, others 403`, async () => {
      for (const r of routes) {
        const s = await freshSession(role);
        const status = await send(t, r, { cookie: s.cookie, 'x-csrf-token': s.csrf });
        assert.ok(!serverError(r, status), `${label(r)} → ${status}`);
        if (r.access === 'public') continue;
        if (r.access.includes(role)) assert.ok(status !== 401 && status !== 403, `${role} ${label(r)} → ${status}`);
        else assert.equal(status, 403, `${role} ${label(r)}`);
      }
    });
  }

  for (const role of ROLES) {
    test(`API token of role ${role}: allowed routes answer, others 403`, async () => {
      const token = await t.token(role as Role);
      for (const r of routes) {
        if (r.access === 'public') continue;
        const status = await send(t, r, { authorization: `Bearer ${token}` });
        assert.ok(status < 500, `${label(r)} → ${status}`);
        if (r.access.includes(role)) assert.ok(status !== 401 && status !== 403, `${role} ${label(r)} → ${status}`);
        else assert.equal(status, 403, `${role} ${label(r)}`);
      }
    });
  }

  test("state-changing routes refuse a session without its own CSRF token (another session's, or none)", async () => {
    const mutating = routes.filter((r) => r.access !== 'public' && (r.mutates || r.method !== 'GET'));
    assert.ok(mutating.length >= 8);
    for (const r of mutating) {
      assert.ok(r.mutates, `${label(r)} changes state but does not declare mutates: true`);
      for (const role of DESK_ROLES) {
        const mine = await freshSession(role);
        const other = await freshSession(role);
        assert.equal(await send(t, r, { cookie: mine.cookie, 'x-csrf-token': other.csrf }), 403, `${role} ${label(r)} with another session's token`);
        assert.equal(await send(t, r, { cookie: mine.cookie }), 403, `${role} ${label(r)} without a token`);
      }
    }
  });
});
