// External suite: real bounces, feedback reports and auto-replies from sisimai
// (test/fixtures/set-of-emails; 13 more families held back in
// test/fixtures/held-back/set-of-emails, never tuned on). The file-name prefix
// gives the kind: rfc3834-* are automatic replies, everything else (arf-*,
// lhost-*, rhost-*, rfc3464-*) is a bounce. None of them may ever be taken for
// a letter, also when the evidence is thinned out: the same message with no
// readable text at all (headers over binary data, or over undecodable bytes),
// and with its machine-readable report parts made opaque.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readInbound } from '../../src/mail/index.ts';
import { withGarbledText, withoutReport, withoutText } from './degrade.ts';

const DIRS = {
  tuned: new URL('../fixtures/set-of-emails/', import.meta.url),
  'held back': new URL('../fixtures/held-back/set-of-emails/', import.meta.url),
};
const VARIANTS: Record<string, ((raw: Uint8Array) => Uint8Array) | null> = {
  'as received': null,
  'no readable text': withoutText,
  'undecodable text': withGarbledText,
  'no report parts': withoutReport,
};
// Share of variants that must not become letters, and that must get the exact kind.
// As received, every message must be right. Thinned out, a few cannot be told
// from a person's mail (an abuse report forwarded by a person, with its report
// and text taken away, is a person's forward).
const FLOOR = { notLetter: 0.98, exactKind: 0.97 };

function files(dir: URL): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
}

test('set-of-emails: fixture folders are complete', () => {
  assert.equal(files(DIRS.tuned).length, 290);
  assert.equal(files(DIRS['held back']).length, 25);
});

for (const [set, dir] of Object.entries(DIRS)) {
  for (const [variant, make] of Object.entries(VARIANTS)) {
    test(`set-of-emails (${set}, ${variant}): kinds, and none is a letter`, async (t) => {
      const list = files(dir);
      const letters: string[] = [];
      const wrongKind: string[] = [];
      for (const f of list) {
        let raw: Uint8Array = new Uint8Array(readFileSync(new URL(f, dir)));
        if (make) raw = make(raw);
        const r = await readInbound(raw);
        const expected = f.startsWith('rfc3834-') ? 'autoreply' : 'bounce';
        if (!r.ok) letters.push(`${f}: quarantined (${r.reason})`);
        else if (r.kind === 'letter') letters.push(`${f}: letter (${r.reason})`);
        else if (r.kind !== expected) wrongKind.push(`${f}: ${r.kind} (${r.reason}), expected ${expected}`);
      }
      const line = `set-of-emails ${set}, ${variant}: ${list.length - letters.length - wrongKind.length}/${list.length} exact kind, ${letters.length} taken for letters`;
      t.diagnostic(line);
      console.log(line + (letters.length ? `\n  letters: ${letters.join('\n  ')}` : '') + (wrongKind.length ? `\n  other kind: ${wrongKind.join('\n  ')}` : ''));
      if (!make) {
        assert.deepEqual([...letters, ...wrongKind], []);
      } else {
        assert.ok(1 - letters.length / list.length >= FLOOR.notLetter, line);
        assert.ok((list.length - letters.length - wrongKind.length) / list.length >= FLOOR.exactKind, line);
      }
    });
  }
}
