// External suite: 315 real bounces, feedback reports and auto-replies
// (test/fixtures/set-of-emails, from sisimai). The file-name prefix gives the kind:
// rfc3834-* are automatic replies, everything else (arf-*, lhost-*, rhost-*,
// rfc3464-*) is a bounce. None of them may ever be taken for a letter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readInbound } from '../../src/mail/index.ts';

const dir = new URL('../fixtures/set-of-emails/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();

test('set-of-emails: fixture folder is complete', () => {
  assert.ok(files.length >= 300, `found ${files.length} messages`);
});

// Two GMX bounces carry a 1,242-character header line, over RFC 5322's 998:
// those are quarantined with that reason (still never a letter, never answered).
const OVER_LINE_LIMIT = new Set(['lhost-gmx-02.eml', 'lhost-gmx-04.eml']);

test('set-of-emails: every message gets its kind and none is a letter', async (t) => {
  const misses: string[] = [];
  for (const f of files) {
    const raw = new Uint8Array(readFileSync(new URL(f, dir)));
    const r = await readInbound(raw);
    const expected = f.startsWith('rfc3834-') ? 'autoreply' : 'bounce';
    if (OVER_LINE_LIMIT.has(f)) {
      if (r.ok || !/RFC 5322 allows 998/.test(r.reason)) misses.push(`${f}: ${r.ok ? r.kind : r.reason}, expected quarantine for its 1,242-character header line`);
    } else if (!r.ok) misses.push(`${f}: quarantined (${r.reason})`);
    else if (r.kind !== expected) misses.push(`${f}: ${r.kind} (${r.reason}), expected ${expected}`);
  }
  t.diagnostic(`${files.length - misses.length}/${files.length} classified as expected`);
  assert.deepEqual(misses, []);
});
