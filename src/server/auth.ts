// Who is calling: an API token (Authorization: Bearer) or, from the desk, a
// session. Authenticators are tried in order; the first that recognises the
// request wins. Route specs declare the roles they admit (see route.ts).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { findActiveTokenByHash, insertToken, touchToken, type ApiToken } from '../db/repositories/tokens.ts';
import type { Actor, Role } from '../letters/lifecycle.ts';
import { ROLES } from '../letters/lifecycle.ts';
import type { RouteSpec } from './route.ts';

export type StaffActor = Extract<Actor, { kind: 'staff' }>;
/** Returns the caller, null when the request carries no credentials of this kind, or 'invalid'. */
export type Authenticator = (ctx: AppContext, req: FastifyRequest, spec?: RouteSpec<any, any, any>) => Promise<StaffActor | null | 'invalid'>;

export function hashApiToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(ctx: Pick<AppContext, 'db'>, role: Role, name: string): Promise<{ token: string; record: ApiToken }> {
  if (!ROLES.includes(role)) throw new Error(`unknown role "${role}" (use ${ROLES.join(', ')})`);
  const token = `ld_${crypto.randomBytes(24).toString('base64url')}`;
  const record = await insertToken(ctx.db, { name, role, tokenHash: hashApiToken(token) });
  return { token, record };
}

const lastTouched = new Map<string, number>();

export const bearerToken: Authenticator = async (ctx, req) => {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return 'invalid';
  const token = await findActiveTokenByHash(ctx.db, hashApiToken(m[1]!));
  if (!token) return 'invalid';
  const now = Date.now();
  // Recording use on every request would turn reads into writes.
  if ((lastTouched.get(token.id) ?? 0) < now - 60_000) {
    lastTouched.set(token.id, now);
    void touchToken(ctx.db, token.id).catch(() => {});
  }
  return { kind: 'staff', id: token.id, role: token.role as Role, label: `token:${token.name}` };
};
