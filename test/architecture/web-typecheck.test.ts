// `npm run typecheck` covers the desk (web/), and the desk's types are the
// server's: run on a copy of the project, the typecheck passes as it is,
// fails when a desk file has a type error, and fails in the desk when the
// server's letter schema renames a field the desk reads (one source, so the
// desk cannot silently drift from the API).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let copy: string;

function typecheck(): { code: number | null; out: string } {
  // The project's own script, as CI and editors run it, with this Node first on PATH (as npm test has it).
  const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const r = spawnSync('npm', ['run', '--silent', 'typecheck'], { cwd: copy, env, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function edit(rel: string, from: string, to: string): () => void {
  const file = path.join(copy, rel);
  const before = fs.readFileSync(file, 'utf8');
  assert.ok(before.includes(from), `${rel} still contains ${JSON.stringify(from)}`);
  fs.writeFileSync(file, before.replace(from, to));
  return () => fs.writeFileSync(file, before);
}

before(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-typecheck-'));
  for (const f of ['package.json', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
  // The sources the typecheck reads; the copy's own tsconfig includes only what is there.
  fs.cpSync(path.join(ROOT, 'src'), path.join(copy, 'src'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'web'), path.join(copy, 'web'), { recursive: true, filter: (s) => !/[/\\]dist(-[^/\\]*)?$/.test(s) });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  const tsconfig = JSON.parse(fs.readFileSync(path.join(copy, 'tsconfig.json'), 'utf8'));
  tsconfig.include = ['src'];
  fs.writeFileSync(path.join(copy, 'tsconfig.json'), JSON.stringify(tsconfig));
});
after(() => fs.rmSync(copy, { recursive: true, force: true }));

test('npm run typecheck passes on the project as it is', () => {
  const r = typecheck();
  assert.equal(r.code, 0, r.out);
});

test('npm run typecheck fails when a desk file has a type error, and names the file', () => {
  const undo = edit('web/src/Queue.tsx', '<strong>{l.writer.name}</strong>', '<strong>{l.writer.nmae}</strong>');
  try {
    const r = typecheck();
    assert.notEqual(r.code, 0, 'the typecheck must fail');
    assert.match(r.out, /web\/src\/Queue\.tsx\(\d+,\d+\): error TS\d+: Property 'nmae' does not exist/);
  } finally {
    undo();
  }
});

test("the desk's types come from the server: renaming a field in the letters schema breaks the desk's typecheck", () => {
  const undo = edit('src/server/routes/letters/schema.ts', '  wordCount: z.number(),', '  words: z.number(),');
  const undoPresenter = edit('src/server/routes/letters/presenter.ts', '    wordCount: l.wordCount,', '    words: l.wordCount,');
  try {
    const r = typecheck();
    assert.notEqual(r.code, 0, 'the desk still reads wordCount, so the typecheck must fail');
    assert.match(r.out, /web\/src\/[A-Za-z]+\.tsx\(\d+,\d+\): error TS\d+: Property 'wordCount' does not exist/);
    assert.doesNotMatch(r.out, /^src\//m, 'the server side itself is consistent; only the desk is out of step');
  } finally {
    undoPresenter();
    undo();
  }
});
