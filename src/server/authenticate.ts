// Runs the authenticators for a route that is not public.
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Authenticator, StaffActor } from './auth.ts';
import { bearerToken } from './auth.ts';
import { HttpError } from './errors.ts';
import { sessionCookie } from '../desk/session-auth.ts';
import type { RouteSpec } from './route.ts';

/** Session-cookie authentication (the desk) registers itself here. */
export const authenticators: Authenticator[] = [bearerToken, sessionCookie];

export async function authenticate(ctx: AppContext, req: FastifyRequest, spec: RouteSpec<any, any, any>): Promise<StaffActor> {
  for (const auth of authenticators) {
    const r = await auth(ctx, req, spec);
    if (r === 'invalid') throw new HttpError(401, 'unauthorized', 'The token or session is not valid.');
    if (r) return r;
  }
  throw new HttpError(401, 'unauthorized', 'Sign in, or send an API token as "Authorization: Bearer TOKEN".');
}
