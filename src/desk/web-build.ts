// The desk's browser code (web/) is built with Vite into web/dist. A fresh
// clone has no web/dist, so the server builds it at start when it is missing
// or older than its sources (and `npm run build:web` builds it by hand).
// Several processes may start at once (test files run in parallel): each
// builds into its own folder and swaps it in, so nobody serves half a build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
export const DIST_DIR = path.join(WEB_DIR, 'dist');
const STAMP = path.join(DIST_DIR, '.built');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('dist-') || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Server modules the desk bundles (not only their types): a change to them is a change to the desk. */
const SHARED_WITH_SERVER = [fileURLToPath(new URL('../letters/reply-template.ts', import.meta.url))];

export function deskBuildIsStale(): boolean {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(DIST_DIR, 'index.html'))) return true;
  const newest = Math.max(newestSource(WEB_DIR), ...SHARED_WITH_SERVER.map((f) => fs.statSync(f).mtimeMs));
  return newest > fs.statSync(STAMP).mtimeMs;
}

let building: Promise<void> | null = null;

export function ensureDeskBuilt(log?: { info(o: object, m: string): void }): Promise<void> {
  if (!deskBuildIsStale()) return Promise.resolve();
  building ??= (async () => {
    const started = Date.now();
    const tmp = path.join(WEB_DIR, `dist-${process.pid}-${Date.now()}`);
    const { build } = await import('vite');
    await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
    fs.writeFileSync(path.join(tmp, '.built'), new Date().toISOString());
    try {
      fs.rmSync(DIST_DIR, { recursive: true, force: true });
      fs.renameSync(tmp, DIST_DIR);
    } catch {
      // Another process swapped its build in first; theirs is as good as ours.
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    log?.info({ ms: Date.now() - started }, 'desk assets built');
  })().finally(() => {
    building = null;
  });
  return building;
}
