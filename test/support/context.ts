// A suite's own desk without HTTP: the app's context (database, writer
// thread, background parts) opened on a test database of its own before the
// suite's tests, closed and dropped after them.
import { after, before } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { openContext } from '../../src/bootstrap.ts';
import type { AppContext } from '../../src/context.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

/** `ctx` and `db` are there once the suite's `before` has run. */
export function suiteContext(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}, opts: { demo?: boolean } = {}): { ctx: AppContext; db: TestDatabase } {
  const suite = {} as { ctx: AppContext; db: TestDatabase };
  before(async () => {
    suite.db = await createTestDatabase(dialect);
    suite.ctx = await openContext(loadConfig({ LETTERDESK_DATA: suite.db.dataDir, ...(suite.db.databaseUrl ? { DATABASE_URL: suite.db.databaseUrl } : {}), ...env }), { log: createLogger('silent'), ...opts });
  });
  after(async () => {
    await suite.ctx.db.close();
    await suite.db.drop();
  });
  return suite;
}
