// The publication's settings: LETTERS_ADDRESS from the environment wins over
// the saved address, and a settings change made on one node reaches the others.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect, createTestDatabase } from '../support/databases.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openContext, refreshPublication } from '../../src/bootstrap.ts';
import { updatePolicies } from '../../src/db/repositories/publication.ts';
import { createLogger } from '../../src/log/logger.ts';

forEachDialect('publication settings', (dialect) => {
  test('LETTERS_ADDRESS overrides the saved address; policies changed elsewhere are picked up', async () => {
    const db = await createTestDatabase(dialect);
    const env = { LETTERDESK_DATA: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
    const log = createLogger('silent');
    const first = await openContext(loadConfig({ ...env, LETTERS_ADDRESS: 'letters@one.example' }), { log, demo: false });
    assert.equal(first.publication.lettersAddress, 'letters@one.example');
    await first.db.close();
    const second = await openContext(loadConfig({ ...env, LETTERS_ADDRESS: 'Letters@Two.example' }), { log, demo: false });
    assert.equal(second.publication.lettersAddress, 'letters@two.example');
    const unset = await openContext(loadConfig(env), { log, demo: false });
    assert.equal(unset.publication.lettersAddress, 'letters@two.example', 'without the variable, the saved address stays');

    await updatePolicies(unset.db, { wordLimit: 123 });
    await refreshPublication(second);
    assert.equal(second.publication.policies.wordLimit, 123);
    await second.db.close();
    await unset.db.close();
    await db.drop();
  });
});
