// Who is calling a route that is not public. The authenticators below are
// tried in this order; the first that recognises the request's credentials
// wins: HTTP basic auth with a token as password (mail providers' webhooks,
// inbound routes only), an API token (Authorization: Bearer), or the desk's
// session cookie (with its CSRF token for anything that changes state).
// Route specs declare the roles they admit (route.ts).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { findActiveTokenByHash, insertToken, touchToken, type ApiToken } from '../db/repositories/tokens.ts';
import { sameSecret } from '../desk/tokens.ts';
import type { Actor, Role } from '../letters/lifecycle.ts';
import { ROLES } from '../letters/lifecycle.ts';
import { HttpError } from './errors.ts';
import { CSRF_HEADER, currentSession, readCookie, SESSION_COOKIE } from './session-cookie.ts';

export type StaffActor = Extract<Actor, { kind: 'staff' }>;
/** What an authenticator needs to know of the route asked for. */
export type RouteInfo = { method: string; url: string; mutates?: boolean };
/** Returns the caller, null when the request carries no credentials of this kind, or 'invalid'. */
type Authenticator = (ctx: AppContext, req: FastifyRequest, route: RouteInfo) => Promise<StaffActor | null | 'invalid'>;

export function hashApiToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(ctx: Pick<AppContext, 'db'>, role: Role, name: string): Promise<{ token: string; record: ApiToken }> {
  if (!ROLES.includes(role)) throw new Error(`unknown role "${role}" (use ${ROLES.join(', ')})`);
  const token = `ld_${crypto.randomBytes(24).toString('base64url')}`;
  const record = await insertToken(ctx.db, { name, role, tokenHash: hashApiToken(token) });
  return { token, record };
}

async function staffOfToken(ctx: AppContext, token: string): Promise<StaffActor | 'invalid'> {
  const found = await findActiveTokenByHash(ctx.db, hashApiToken(token));
  if (!found) return 'invalid';
  const now = Date.now();
  // Recording use on every request would turn reads into writes.
  if ((lastTouched.get(found.id) ?? 0) < now - 60_000) {
    lastTouched.set(found.id, now);
    void touchToken(ctx.db, found.id).catch(() => {});
  }
  return { kind: 'staff', id: found.id, role: found.role as Role, label: `token:${found.name}` };
}

const lastTouched = new Map<string, number>();

/**
 * Mail providers call webhooks with credentials in the URL
 * (https://user:TOKEN@desk.example/api/v1/inbound/postmark), which arrive as
 * HTTP basic auth: the password is an API token. Only the inbound routes take
 * it; everywhere else a token is sent as a Bearer header.
 */
const basicToken: Authenticator = async (ctx, req, route) => {
  const header = req.headers.authorization;
  if (!header || !/^Basic\s/i.test(header) || !route.url.startsWith('/api/v1/inbound/') || route.method !== 'POST') return null;
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  if (!password) return 'invalid';
  return staffOfToken(ctx, password);
};

const bearerToken: Authenticator = async (ctx, req) => {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return 'invalid';
  return staffOfToken(ctx, m[1]!);
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sessionCookie: Authenticator = async (ctx, req, route) => {
  if (!readCookie(req, SESSION_COOKIE)) return null;
  const found = await currentSession(ctx, req);
  if (!found) return 'invalid';
  if (route.mutates || !SAFE_METHODS.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, found.session.csrfToken))
      throw new HttpError(403, 'csrf', 'This request needs the X-CSRF-Token header of your session; reload the desk and try again.');
  }
  return { kind: 'staff', id: found.user.id, role: found.user.role, label: `user:${found.user.email}` };
};

// Basic before Bearer: the Bearer authenticator refuses any other scheme.
const AUTHENTICATORS: readonly Authenticator[] = [basicToken, bearerToken, sessionCookie];

export async function authenticate(ctx: AppContext, req: FastifyRequest, route: RouteInfo): Promise<StaffActor> {
  for (const auth of AUTHENTICATORS) {
    const r = await auth(ctx, req, route);
    if (r === 'invalid') throw new HttpError(401, 'unauthorized', 'The token or session is not valid.');
    if (r) return r;
  }
  throw new HttpError(401, 'unauthorized', 'Sign in, or send an API token as "Authorization: Bearer TOKEN".');
}
