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

test('set-of-emails: every message gets its kind and none is a letter', async (t) => {
  const misses: string[] = [];
  for (const f of files) {
    const raw = new Uint8Array(readFileSync(new URL(f, dir)));
    const r = await readInbound(raw);
    const expected = f.startsWith('rfc3834-') ? 'autoreply' : 'bounce';
    if (!r.ok) misses.push(`${f}: quarantined (${r.reason})`);
    else if (r.kind !== expected) misses.push(`${f}: ${r.kind} (${r.reason}), expected ${expected}`);
  }
  t.diagnostic(`${files.length - misses.length}/${files.length} classified as expected`);
  assert.deepEqual(misses, []);
});
