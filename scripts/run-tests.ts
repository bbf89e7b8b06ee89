// `npm test`: says up front which real parts are available (PostgreSQL,
// Chromium), then runs every test file with node's test runner. Suites whose
// part is missing are skipped with that reason, visible in the summary;
// REQUIRE_PG=1 / REQUIRE_BROWSER=1 (set by CI) turn a missing part into a failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { browserUnavailable, pgUnavailable, PG_ADMIN_URL, requireBrowser, requirePg } from '../test/support/env.ts';

const pgWhy = await pgUnavailable();
const browserWhy = browserUnavailable();

console.log(pgWhy ? `PostgreSQL: NOT AVAILABLE — ${pgWhy}; PostgreSQL suites are skipped${requirePg ? ' and REQUIRE_PG=1 fails them' : ''}.` : `PostgreSQL: available at ${PG_ADMIN_URL}; database suites run on SQLite and PostgreSQL.`);
console.log(browserWhy ? `Browser: NOT AVAILABLE — ${browserWhy}; browser suites are skipped${requireBrowser ? ' and REQUIRE_BROWSER=1 fails them' : ''}.` : 'Browser: Chromium available; browser suites run.');

// Tests that bound how long something takes (*.timing.test.ts: latency while
// hostile mail arrives, fuzzing with answer bounds) run after the rest, one
// file at a time, so that no other test file competes with them for the cores.
const given = process.argv.slice(2);
const all = given.length ? given : fs.globSync('test/**/*.test.ts').sort();
const timing = all.filter((f) => f.endsWith('.timing.test.ts'));
const rest = all.filter((f) => !f.endsWith('.timing.test.ts'));

function run(files: string[], concurrency: number): Promise<number> {
  if (!files.length) return Promise.resolve(0);
  const args = ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...files];
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, LD_PG_AVAILABLE: pgWhy ? '0' : '1', LD_PG_WHY: pgWhy ?? '' } });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const first = await run(rest, 2);
if (timing.length) console.log(`\nTiming tests, one file at a time: ${timing.join(', ')}`);
const second = await run(timing, 1);
process.exit(first || second);
