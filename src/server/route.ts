// Routes are declared with their access, their input schemas and a summary;
// the same declaration registers the route, validates its input, checks the
// caller's role, and describes it in the OpenAPI document.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { Role } from '../letters/lifecycle.ts';
import type { StaffActor } from './auth.ts';
import { HttpError, validationError } from './errors.ts';
import { fieldErrors } from '../util/field-errors.ts';
import { authenticate } from './auth.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> = {
  method: Method;
  url: string;
  summary: string;
  tag: string;
  /** `public`: anyone; otherwise the roles admitted (401 without credentials, 403 for other roles). */
  access: 'public' | readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  /** Request content type when not JSON (documented only). */
  consumes?: string;
  /** Documented answers: status → description (and schema). */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** HTML pages and static files are left out of the API document. */
  hidden?: boolean;
  /** Changes state: needs CSRF protection when called with a session cookie. */
  mutates?: boolean;
  /**
   * A door letters come in by (the form, the API, the mail webhooks): past
   * what this node can take in time it is refused at once with 503 and
   * Retry-After, before its body is read (server/http.ts).
   */
  intake?: boolean;
  /** Per-client limit for public doors in (set by the server). */
  rateLimit?: { max: number; timeWindow: number };
  /** Request body limit in bytes when not the server's default (mail webhooks carry whole messages). */
  bodyLimit?: number;
  handler: (input: { req: FastifyRequest; reply: FastifyReply; body: z.output<B>; query: z.output<Q>; params: z.output<P>; actor: StaffActor | null }) => Promise<unknown>;
};

export type RouteTable = RouteSpec<any, any, any>[];

export function registerRoutes(app: FastifyInstance, ctx: AppContext, routes: RouteTable): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: { spec, ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}) },
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      handler: async (req, reply) => {
        let actor: StaffActor | null = null;
        if (spec.access !== 'public') {
          actor = await authenticate(ctx, req, spec);
          if (!spec.access.includes(actor.role)) throw new HttpError(403, 'forbidden', `This needs the ${spec.access.join(' or ')} role; your role is ${actor.role}.`);
        }
        // PostgreSQL refuses NUL in text, and no field of ours has a use for it:
        // refuse it here, for every route, before any handler or query sees it.
        if (nulAt(req.params) || nulAt(req.query)) throw new HttpError(400, 'bad_request', 'The address contains a NUL character.');
        const params = parse(spec.params, req.params);
        const query = parse(spec.query, req.query);
        const body = spec.body ? parse(spec.body, req.body ?? {}) : undefined;
        const bodyNul = spec.body ? nulAt(body) : null;
        if (bodyNul) throw validationError({ [bodyNul]: 'Contains control characters (NUL); please paste it again as plain text.' });
        return spec.handler({ req, reply, body, query, params, actor });
      },
    });
  }
}

/** The top-level field (or '_') of the first string holding a NUL character, or null. */
function nulAt(value: unknown, top: string | null = null, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? (top ?? '_') : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const hit = nulAt(v, top ?? k, depth + 1) ?? (k.includes('\u0000') ? (top ?? '_') : null);
    if (hit) return hit;
  }
  return null;
}

function parse(schema: z.ZodType | undefined, value: unknown): any {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(fieldErrors(r.error));
  return r.data;
}
