// The OpenAPI 3.1 document, generated from the same route declarations and
// zod schemas that validate requests.
import { z } from 'zod';
import type { RouteTable } from './route.ts';
import { documentedBodies } from './routes/letters/index.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  } catch {
    return {};
  }
}

export function openApiDocument(routes: RouteTable, serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (r.hidden) continue;
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const params: unknown[] = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const qs = jsonSchema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) params.push({ name, in: 'query', required: qs.required?.includes(name) ?? false, schema });
    }
    const bodySchema = documentedBodies[`${r.method} ${r.url}`] ?? r.body;
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: r.access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      'x-roles': r.access === 'public' ? ['public'] : r.access,
      parameters: params,
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, res]) => [
          status,
          { description: res.description, ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: jsonSchema(res.schema, 'output') } } } : {}) },
        ]),
      ),
    };
    if (bodySchema && r.method !== 'GET') op.requestBody = { required: true, content: { [r.consumes ?? 'application/json']: { schema: jsonSchema(bodySchema, 'input') } } };
    if (r.access !== 'public') (op.responses as Record<string, unknown>)['401'] ??= { description: 'No valid token or session.' };
    if (r.access !== 'public') (op.responses as Record<string, unknown>)['403'] ??= { description: 'Your role may not do this.' };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'letterdesk API', version: '1', description: 'Letters to the editor: submission, the editors’ queue, actions and publishing.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `letterdesk token create --role …`.' },
        session: { type: 'apiKey', in: 'cookie', name: 'ld_session', description: 'The desk’s session cookie (state-changing requests also need the X-CSRF-Token header).' },
      },
    },
    paths,
  };
}
