// `npm test`: says up front which real parts are available (PostgreSQL,
// Chromium), then runs every test file with node's test runner. Suites whose
// part is missing are skipped with that reason, visible in the summary;
// REQUIRE_PG=1 / REQUIRE_BROWSER=1 (set by CI) turn a missing part into a failure.
import { spawn } from 'node:child_process';
import { browserUnavailable, pgUnavailable, PG_ADMIN_URL, requireBrowser, requirePg } from '../test/support/env.ts';

const pgWhy = await pgUnavailable();
const browserWhy = browserUnavailable();

console.log(pgWhy ? `PostgreSQL: NOT AVAILABLE — ${pgWhy}; PostgreSQL suites are skipped${requirePg ? ' and REQUIRE_PG=1 fails them' : ''}.` : `PostgreSQL: available at ${PG_ADMIN_URL}; database suites run on SQLite and PostgreSQL.`);
console.log(browserWhy ? `Browser: NOT AVAILABLE — ${browserWhy}; browser suites are skipped${requireBrowser ? ' and REQUIRE_BROWSER=1 fails them' : ''}.` : 'Browser: Chromium available; browser suites run.');

const files = process.argv.slice(2);
const args = ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=600000', ...(files.length ? files : ['test/**/*.test.ts'])];
const child = spawn(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, LD_PG_AVAILABLE: pgWhy ? '0' : '1', LD_PG_WHY: pgWhy ?? '' },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
