// A real HTTP server on loopback that plays a CMS: each path serves a
// document the test sets and may change, with an ETag and Last-Modified
// (answering 304 to a request that names them), or a fault: a status, a
// delay longer than the poll's time limit, a redirect. It records what it
// was asked.
import http from 'node:http';
import crypto from 'node:crypto';

export type Route = {
  body?: string | Buffer;
  type?: string;
  status?: number;
  /** Send validators and honour them (default true). */
  conditional?: boolean;
  /** Wait this long before answering (a hung server). */
  delayMs?: number;
  /** Redirect to this path or URL. */
  location?: string;
  headers?: Record<string, string>;
};

export type Hit = { path: string; ifNoneMatch: string | null; ifModifiedSince: string | null; status: number };

export type FeedServer = { url: string; set(path: string, route: Route): void; hits: Hit[]; hitsOf(path: string): Hit[]; close(): Promise<void> };

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route & { etag: string; modified: string }>();
  const hits: Hit[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const route = routes.get(u.pathname + u.search) ?? routes.get(u.pathname);
    const hit: Hit = { path: u.pathname + u.search, ifNoneMatch: req.headers['if-none-match'] ?? null, ifModifiedSince: req.headers['if-modified-since'] ?? null, status: 0 };
    hits.push(hit);
    const answer = () => {
      if (!route) return end(404, { 'content-type': 'text/plain' }, 'not found');
      if (route.location) return end(route.status ?? 302, { location: route.location }, '');
      const conditional = route.conditional !== false;
      if (conditional && (hit.ifNoneMatch === route.etag || (!hit.ifNoneMatch && hit.ifModifiedSince === route.modified))) return end(304, { etag: route.etag }, '');
      const headers: Record<string, string> = { 'content-type': route.type ?? 'application/xml; charset=utf-8', ...(conditional ? { etag: route.etag, 'last-modified': route.modified } : {}), ...route.headers };
      end(route.status ?? 200, headers, route.body ?? '');
    };
    const end = (status: number, headers: Record<string, string>, body: string | Buffer) => {
      hit.status = status;
      if (res.destroyed) return;
      res.writeHead(status, headers);
      res.end(body);
    };
    if (route?.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, route.delayMs);
      timers.add(t);
    } else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  let clock = Date.parse('2024-05-01T12:00:00Z');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    set(path, route) {
      const body = route.body ?? '';
      clock += 60_000;
      routes.set(path, { ...route, etag: `"${crypto.createHash('sha1').update(body).digest('hex').slice(0, 16)}"`, modified: new Date(clock).toUTCString() });
    },
    hits,
    hitsOf: (path) => hits.filter((h) => h.path === path || h.path.startsWith(`${path}?`)),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
