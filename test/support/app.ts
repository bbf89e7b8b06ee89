// A real desk for a test: its own database, the real HTTP server on a free
// port, and helpers to call it.
import { loadConfig, type Config } from '../../src/config/index.ts';
import { createApp, type App } from '../../src/app.ts';
import type { AppContext } from '../../src/context.ts';
import { createApiToken } from '../../src/server/auth.ts';
import { createLogger } from '../../src/log/logger.ts';
import type { Role } from '../../src/letters/lifecycle.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import type { FastifyInstance } from 'fastify';

export type TestApp = {
  ctx: AppContext;
  app: FastifyInstance;
  /** The whole app as `letterdesk start` builds it (its HTTP server is `app`); nothing runs in the background. */
  desk: App;
  /** Runs the event processors until no event is due (mail to writers, webhooks, screening); jobs are left alone. */
  drainEvents(): Promise<void>;
  url: string;
  db: TestDatabase;
  /** Every log line the desk wrote, as JSON text. */
  logs: string[];
  token(role: Role): Promise<string>;
  close(): Promise<void>;
};

export async function startTestApp(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const t = await startAppOn(db, env);
  const close = t.close;
  return {
    ...t,
    async close() {
      await close();
      await db.drop();
    },
  };
}

/**
 * A desk on an existing test database: a second app node, or the same
 * desk after a restart. Its `close` leaves the database in place.
 */
export async function startAppOn(db: TestDatabase, env: Record<string, string> = {}): Promise<TestApp> {
  const config: Config = loadConfig({
    LETTERDESK_POW: 'off',
    LETTERDESK_RATE_LIMIT: 'off',
    LETTERDESK_MAIL_DNS: 'off',
    LETTERS_ADDRESS: 'letters@review.example.com',
    PORT: '0',
    ...env,
    LETTERDESK_DATA: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
  });
  const logs: string[] = [];
  const desk = await createApp(config, { log: createLogger('info', { write: (line: string) => void logs.push(line) }) });
  const { ctx, http: app } = desk;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  ctx.config.publicUrl = url;
  const tokens = new Map<Role, string>();
  return {
    ctx,
    app,
    desk,
    drainEvents: async () => void (await desk.background.drainEvents()),
    url,
    db,
    logs,
    async token(role) {
      if (!tokens.has(role)) tokens.set(role, (await createApiToken(ctx, role, `test ${role}`)).token);
      return tokens.get(role)!;
    },
    close: () => desk.stop(),
  };
}

/** Status and body of an answer: JSON when it parses, else the text. */
async function answer(res: Response): Promise<{ status: number; json: any }> {
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: text };
  }
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return answer(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }));
}

export async function getJson(url: string, token?: string): Promise<{ status: number; json: any }> {
  return answer(await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
}

/**
 * The query naming the UTC days from `since` to now, for the exports: a suite
 * that publishes before midnight and exports after it must still find its letters.
 */
export function daysSince(since: Date): { from: string; to: string; query: string } {
  const from = since.toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  return { from, to, query: `from=${from}&to=${to}` };
}
