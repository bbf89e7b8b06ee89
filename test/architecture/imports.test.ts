// The layout shows the architecture, and tests keep it so: no module imports
// itself back through others (no import cycles), and the lower layers do not
// reach up. Read with a small scanner of our own import statements: the
// tools that do this (madge, dependency-cruiser) read TypeScript through the
// compiler's JavaScript API, which TypeScript 7 no longer ships.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const SRC = path.resolve(new URL('../../src/', import.meta.url).pathname);

/** Every module under src/ and the modules it imports from src/ (type-only imports included: they tie layers too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?\bfrom\s+'(\.[^']+)'|(?:^|\n)\s*import\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g)]
          .map((m) => path.resolve(path.dirname(p), (m[1] ?? m[2] ?? m[3])!))
          .filter((t) => t.startsWith(SRC) && t.endsWith('.ts'));
        graph.set(p, [...new Set(targets)]);
      }
    }
  };
  walk(SRC);
  return graph;
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.map((m) => path.relative(SRC, m)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const layerOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!;

test('no import cycles', () => {
  const found = cycles(importGraph());
  assert.deepEqual(found, [], `cycles:\n${found.map((c) => `  ${c.join(' → ')}`).join('\n')}`);
});

// Which top-level folders (or top-level files) a folder may import from. The
// top (app.ts, bootstrap.ts), server/ and cli/ may import anything.
const MAY_IMPORT: Record<string, readonly string[]> = {
  util: [],
  metrics: [],
  config: [],
  log: [],
  i18n: ['util'],
  mail: ['util'],
  matching: ['util'],
  screening: ['matching', 'util'],
  insights: ['matching', 'util'],
  'insights-store': ['db', 'insights', 'outbox', 'util', 'context.ts'],
  db: ['util', 'config'],
  articles: ['db', 'util'],
  letters: ['db', 'articles', 'util', 'screening', 'insights', 'insights-store', 'i18n', 'context.ts', 'writes'],
  outbox: ['db', 'util', 'i18n', 'context.ts'],
  'screening-store': ['db', 'screening', 'matching', 'letters', 'util', 'context.ts'],
  publishing: ['db', 'letters', 'outbox', 'util', 'i18n', 'context.ts'],
  events: ['db', 'util', 'context.ts'],
  processors: ['events', 'db', 'letters', 'publishing', 'screening-store', 'insights-store', 'context.ts'],
  inbound: ['db', 'mail', 'letters', 'screening', 'publishing', 'outbox', 'util', 'i18n', 'writes', 'context.ts'],
  smtp: ['inbound', 'util', 'context.ts'],
  writes: ['db', 'letters', 'inbound', 'events', 'jobs', 'processors', 'log', 'metrics', 'config', 'util', 'context.ts'],
  feeds: ['db', 'articles', 'mail', 'util', 'context.ts'],
  jobs: ['db', 'inbound', 'outbox', 'publishing', 'feeds', 'insights-store', 'util', 'context.ts'],
  desk: ['db', 'outbox', 'util', 'context.ts'],
  operations: ['db', 'config', 'context.ts'],
  'context.ts': ['config', 'db', 'log', 'metrics'],
};

test('lower layers do not import from higher ones', () => {
  const graph = importGraph();
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    const allowed = MAY_IMPORT[from];
    if (!allowed) continue;
    for (const t of targets) {
      const to = layerOf(t);
      if (to === from) continue;
      if (!allowed.includes(to)) wrong.push(`${path.relative(SRC, file)} imports ${path.relative(SRC, t)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every routes folder has its schema.ts and presenter.ts beside its routes', () => {
  const routes = path.join(SRC, 'server', 'routes');
  const missing = fs
    .readdirSync(routes, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => ['schema.ts', 'presenter.ts'].filter((f) => !fs.existsSync(path.join(routes, e.name, f))).map((f) => `${e.name}/${f}`));
  assert.deepEqual(missing, []);
});
