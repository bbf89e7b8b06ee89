// The desk's session cookie. The cookie is HttpOnly, SameSite=Lax and Secure
// when the desk is served over https; only its hash is stored. Every
// state-changing request made with the cookie must also carry the session's
// CSRF token in the X-CSRF-Token header (a page on another site can make the
// browser send the cookie, but cannot read the token): auth.ts checks it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { findSessionByHash, type Session, type User } from '../db/repositories/users.ts';
import { SESSION_DAYS } from '../desk/accounts.ts';
import { hashSecret } from '../desk/tokens.ts';

export const SESSION_COOKIE = 'ld_session';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(req: FastifyRequest, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        // A malformed escape in a cookie is no session, not a server error.
        return null;
      }
    }
  }
  return null;
}

function cookieAttributes(ctx: AppContext): string {
  const secure = ctx.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `Path=/; HttpOnly; SameSite=Lax${secure}`;
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Max-Age=${SESSION_DAYS * 86400}; ${cookieAttributes(ctx)}`);
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Max-Age=0; ${cookieAttributes(ctx)}`);
}

/** The session behind the request's cookie, if any (cached on the request). */
export async function currentSession(ctx: AppContext, req: FastifyRequest): Promise<{ session: Session; user: User } | null> {
  const cached = (req as { deskSession?: { session: Session; user: User } | null }).deskSession;
  if (cached !== undefined) return cached;
  const token = readCookie(req, SESSION_COOKIE);
  const found = token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await findSessionByHash(ctx.db, hashSecret(token)) : null;
  (req as { deskSession?: unknown }).deskSession = found;
  return found;
}
