// External suite: discourse/email_reply_trimmer's corpus (64 reply bodies in about
// twenty languages with the text a reader should see). We report the share of exact
// matches (trailing whitespace normalised) and list the misses, and hold a floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { trimReply } from '../../src/mail/index.ts';

const dir = new URL('../fixtures/email_reply_trimmer/', import.meta.url);
const FLOOR = 0.95;

function normalise(s: string): string {
  return s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\s+$/, '');
}

test('reply trimmer corpus: share of exact matches', (t) => {
  const files = readdirSync(new URL('emails/', dir)).filter((f) => f.endsWith('.txt')).sort();
  const misses: string[] = [];
  for (const f of files) {
    const input = readFileSync(new URL(`emails/${f}`, dir), 'utf8');
    const expected = readFileSync(new URL(`trimmed/${f}`, dir), 'utf8');
    if (normalise(trimReply(input)) !== normalise(expected)) misses.push(f);
  }
  const share = (files.length - misses.length) / files.length;
  const line = `reply trimmer: ${files.length - misses.length}/${files.length} exact (${(share * 100).toFixed(1)}%)` +
    (misses.length ? `; misses: ${misses.join(', ')}` : '');
  t.diagnostic(line);
  console.log(line);
  assert.equal(files.length, 64);
  assert.ok(share >= FLOOR, line);
});
