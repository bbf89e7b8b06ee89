// The labelled corpus (test/fixtures/corpus): every message gets its kind, the
// extracted body keeps every mustContain snippet and drops every mustNotContain one,
// and letters credit the right writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInbound } from '../../src/mail/index.ts';

const dir = new URL('../fixtures/corpus/', import.meta.url);
type Label = {
  file: string; kind: string; mustContain: string[]; mustNotContain: string[];
  writerName: string; writerEmail: string;
};
const labels: Label[] = readFileSync(new URL('labels.jsonl', dir), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as Label);

const OWN = ['letters@review.example.com'];

for (const label of labels) {
  test(`corpus ${label.file} is ${label.kind}`, async () => {
    const raw = new Uint8Array(readFileSync(new URL(`mail/${label.file}`, dir)));
    const r = await readInbound(raw, { ownAddresses: OWN, ownDomain: 'review.example.com' });
    assert.equal(r.ok, true, r.ok ? '' : r.reason);
    if (!r.ok) return;
    // The spam kind is decided by the screening scorer (src/screening/spam.ts) and
    // asserted by the screening tests. The mail classifier must simply not mistake
    // spam for an auto-reply, bounce or list message: it sees a letter.
    const expected = label.kind === 'spam' ? 'letter' : label.kind;
    assert.equal(r.kind, expected, `kind (${r.reason})`);
    if (label.kind !== 'letter') return;
    for (const s of label.mustContain) assert.ok(r.body.includes(s), `body should contain ${JSON.stringify(s)}\n---\n${r.body}`);
    for (const s of label.mustNotContain) assert.ok(!r.body.includes(s), `body should not contain ${JSON.stringify(s)}\n---\n${r.body}`);
    assert.equal(r.writer.name, label.writerName);
    assert.equal(r.writer.email, label.writerEmail);
    // The original stays available beside the extracted text.
    for (const s of label.mustContain) assert.ok(r.original.includes(s), `original should keep ${JSON.stringify(s)}`);
  });
}
