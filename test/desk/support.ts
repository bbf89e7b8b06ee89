// Desk test helpers: team members created straight in the database, and
// sessions opened through the real sign-in route.
import type { AppContext } from '../../src/context.ts';
import { insertSession, insertUser, type DeskRole } from '../../src/db/repositories/users.ts';
import { hashPassword } from '../../src/desk/passwords.ts';
import { hashSecret, newSecret } from '../../src/desk/tokens.ts';

export const PASSWORD = 'a long enough password';

export async function createUser(ctx: AppContext, role: DeskRole, email = `${role}-${newSecret(4)}@desk.example`): Promise<{ id: string; email: string }> {
  const passwordHash = await hashPassword(PASSWORD);
  const u = await ctx.db.writes.run((trx) => insertUser(ctx.db, trx, { email, name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`, role, passwordHash }));
  return { id: u.id, email: u.email };
}

/** A session opened directly (fast; the sign-in route is tested on its own). */
export async function openSession(ctx: AppContext, userId: string): Promise<{ cookie: string; csrf: string }> {
  const token = newSecret();
  const csrf = newSecret(24);
  await ctx.db.writes.run((trx) => insertSession(ctx.db, trx, { tokenHash: hashSecret(token), csrfToken: csrf, userId, expiresAt: new Date(Date.now() + 3600_000) }));
  return { cookie: `ld_session=${token}`, csrf };
}

export async function signInOverHttp(url: string, email: string, password = PASSWORD): Promise<{ status: number; cookie: string | null; csrf: string | null; json: any }> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const json: any = await res.json().catch(() => null);
  const set = res.headers.get('set-cookie');
  return { status: res.status, cookie: set ? set.split(';')[0]! : null, csrf: json?.csrfToken ?? null, json };
}

export async function call(url: string, method: string, path: string, opts: { cookie?: string; csrf?: string; bearer?: string; body?: unknown } = {}): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json };
}
