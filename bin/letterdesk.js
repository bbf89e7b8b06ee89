#!/usr/bin/env node
// The package's command. Node 22.18+ and 24 run TypeScript files directly; older
// 22.x needs the strip-types flag, so re-run ourselves with it when it is missing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
