// Signing in and out of the desk, the one-time links (first admin,
// invitation, password reset) and "who am I".
import type { AppContext } from '../../../context.ts';
import { deleteSession } from '../../../db/repositories/users.ts';
import { describeLink, redeemLink, requestPasswordReset, signIn } from '../../../desk/accounts.ts';
import { clearSessionCookie, currentSession, setSessionCookie } from '../../session-cookie.ts';
import { inWords } from '../../../util/busy.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { READERS } from './access.ts';
import { presentSessionUser } from './presenter.ts';
import { linkTokenParams, passwordResetBody, redeemLinkBody, sessionAnswer, signInBody } from './schema.ts';

export function sessionRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/session',
      tag: 'desk',
      summary: 'Who is signed in, and the CSRF token of the session.',
      access: READERS,
      responses: { 200: { description: 'The caller.', schema: sessionAnswer } },
      handler: async ({ req, actor, reply }) => {
        reply.header('cache-control', 'no-store');
        const s = await currentSession(ctx, req);
        if (s && s.user.id === actor!.id) return { user: presentSessionUser(s.user), csrfToken: s.session.csrfToken };
        return { user: { id: actor!.id, email: null, name: actor!.label, role: actor!.role }, csrfToken: null };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/session',
      tag: 'desk',
      summary: 'Sign in with email and password; sets the session cookie. Repeated failures are slowed, then the account is locked for a while.',
      access: 'public',
      mutates: true,
      body: signInBody,
      responses: {
        200: { description: 'Signed in.', schema: sessionAnswer },
        401: { description: 'Wrong address or password.' },
        429: { description: 'Locked after too many failures; try again later.' },
      },
      handler: async ({ body, reply }) => {
        const r = await signIn(ctx, body.email, body.password);
        if (!r.ok) {
          if (r.reason === 'locked') {
            const seconds = r.retryAfter ?? 900;
            throw new HttpError(429, 'locked', `Too many failed sign-ins; this account is locked. Please try again ${inWords(seconds)}, or reset your password.`, undefined, seconds);
          }
          throw new HttpError(401, 'invalid_credentials', 'That address and password do not match an account.');
        }
        setSessionCookie(ctx, reply, r.token);
        reply.header('cache-control', 'no-store');
        return { user: presentSessionUser(r.user), csrfToken: r.session.csrfToken };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/session',
      tag: 'desk',
      summary: 'Sign out: ends the session and clears the cookie.',
      access: READERS,
      mutates: true,
      responses: { 200: { description: 'Signed out.' } },
      handler: async ({ req, reply }) => {
        const s = await currentSession(ctx, req);
        if (s) await deleteSession(ctx.db, s.session.id);
        clearSessionCookie(ctx, reply);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/session/links/:token',
      tag: 'desk',
      summary: 'What a one-time link is for (first admin, invitation, password reset).',
      access: 'public',
      params: linkTokenParams,
      responses: { 200: { description: 'The link.' }, 404: { description: 'Used, expired or unknown.' } },
      handler: async ({ params, reply }) => {
        reply.header('cache-control', 'no-store');
        const d = await describeLink(ctx, params.token);
        if (!d) throw new HttpError(404, 'not_found', 'This link has been used or has expired.');
        return d;
      },
    },
    {
      method: 'POST',
      url: '/api/v1/session/links/:token',
      tag: 'desk',
      summary: 'Use a one-time link: create the account (first admin, invitation) or set a new password (reset); signs in.',
      access: 'public',
      mutates: true,
      params: linkTokenParams,
      body: redeemLinkBody,
      responses: { 200: { description: 'Signed in.', schema: sessionAnswer }, 404: { description: 'Used, expired or unknown.' }, 422: { description: 'A field needs attention.' } },
      handler: async ({ params, body, reply }) => {
        const r = await redeemLink(ctx, params.token, body);
        if (!r.ok) {
          if (r.field) throw new HttpError(r.status, 'validation', 'Some fields need attention.', { [r.field]: r.error });
          throw new HttpError(r.status, r.status === 404 ? 'not_found' : 'conflict', r.error);
        }
        setSessionCookie(ctx, reply, r.token);
        return { user: presentSessionUser(r.user), csrfToken: r.session.csrfToken };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/session/password-reset',
      tag: 'desk',
      summary: 'Email a password-reset link to this address if it belongs to the team (the answer is the same either way).',
      access: 'public',
      mutates: true,
      body: passwordResetBody,
      responses: { 202: { description: 'If the address has an account, a link is on its way.' } },
      handler: async ({ body, reply }) => {
        await requestPasswordReset(ctx, body.email);
        reply.code(202);
        return { ok: true };
      },
    },
  ];
}
