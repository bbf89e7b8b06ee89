// Serves the desk's built browser code from web/dist: files under /desk/assets/
// with long caching (their names carry a content hash), and index.html for
// every other /desk address (the app routes in the browser).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../../../context.ts';
import { DIST_DIR } from '../../../desk/web-build.ts';
import { HTML_SECURITY_HEADERS } from '../../html.ts';
import type { RouteTable } from '../../route.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const DESK_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function deskAssetRoutes(_ctx: AppContext): RouteTable {
  const serve = async ({ req, reply }: { req: { url: string }; reply: import('fastify').FastifyReply }) => {
    const urlPath = decodeURIComponent(req.url.split('?')[0]!);
    const rel = urlPath.replace(/^\/desk\/?/, '');
    if (rel.startsWith('assets/')) {
      const file = path.join(DIST_DIR, path.normalize(rel));
      if (file.startsWith(DIST_DIR + path.sep)) {
        try {
          const data = await fs.readFile(file);
          return reply.headers({ 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' }).send(data);
        } catch {
          /* fall through */
        }
      }
      return reply.code(404).type('text/plain').send('Not found');
    }
    let html: Buffer;
    try {
      html = await fs.readFile(path.join(DIST_DIR, 'index.html'));
    } catch {
      return reply
        .code(503)
        .headers({ 'content-type': 'text/html; charset=utf-8', 'retry-after': '5', ...HTML_SECURITY_HEADERS })
        .send('<!doctype html><html lang="en"><meta charset="utf-8"><title>Letters desk</title><p>The desk is being built; reload in a few seconds.</p></html>');
    }
    return reply.headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...HTML_SECURITY_HEADERS, 'content-security-policy': DESK_CSP, 'x-frame-options': 'DENY' }).send(html);
  };
  const base = { tag: 'desk', access: 'public' as const, hidden: true, responses: { 200: { description: 'The desk.' } } };
  return [
    { ...base, method: 'GET', url: '/desk', summary: 'The desk (web app).', handler: serve },
    { ...base, method: 'GET', url: '/desk/*', summary: 'The desk (web app and its files).', handler: serve },
  ];
}
