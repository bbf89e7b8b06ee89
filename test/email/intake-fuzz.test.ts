// Fuzz at the intake level: mutated fixture messages (byte flips, truncation,
// junk, duplicated headers, binary noise) through receiveMail. Every case
// ends stored (letter, thread reply, tray) or quarantined with a reason:
// never lost, never a throw, never left half-processed. Reproducible:
// FUZZ_SEED and EMAIL_FUZZ_CASES override the defaults.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { receiveMail } from '../../src/inbound/index.ts';
import { findInbound } from '../../src/db/repositories/inbound.ts';
import { rng } from '../support/random.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const CASES = Number(process.env.EMAIL_FUZZ_CASES ?? 300);


const seeds: Buffer[] = [];
for (const dir of ['corpus/mail/', 'set-of-emails/']) {
  const files = fs.readdirSync(FIXTURES + dir).filter((f) => f.endsWith('.eml')).sort();
  for (const f of files.slice(0, 60)) seeds.push(fs.readFileSync(FIXTURES + dir + f));
}

type Mutate = (b: Buffer, r: () => number) => Buffer;
const int = (r: () => number, n: number) => Math.floor(r() * n);
const mutators: Mutate[] = [
  (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + int(r, 32); i < n && out.length; i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  (b, r) => b.subarray(0, int(r, b.length + 1)),
  (b, r) => {
    const at = int(r, b.length + 1);
    const junk = Buffer.from(Array.from({ length: 1 + int(r, 2000) }, () => int(r, 256)));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  (b, r) => {
    const s = b.toString('latin1');
    const end = s.indexOf('\r\n\r\n');
    const lines = (end < 0 ? s : s.slice(0, end)).split('\r\n');
    const pick = lines[int(r, lines.length)] ?? '';
    lines.splice(int(r, lines.length + 1), 0, ...Array(1 + int(r, 40)).fill(pick));
    return Buffer.from(lines.join('\r\n') + (end < 0 ? '' : s.slice(end)), 'latin1');
  },
  (b, r) => Buffer.from(b.toString('latin1').replace(/boundary="?[^"\r\n;]+"?/i, int(r, 2) ? 'boundary=""' : 'boundary="nope"'), 'latin1'),
  (b, r) => Buffer.from(b.toString('latin1').replace(/charset="?[\w-]+"?/gi, ['charset=utf-16', 'charset=bogus', 'charset=""'][int(r, 3)]!), 'latin1'),
  (_b, r) => Buffer.from(Array.from({ length: int(r, 4096) }, () => int(r, 256))),
  (b) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'),
];

forEachDialect('intake fuzz', (dialect) => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off' });
  });
  after(() => app.close());

  test(`${CASES} mutated messages all end stored or quarantined`, async () => {
    const r = rng(SEED + (dialect === 'postgres' ? 1 : 0));
    const seen: Record<string, number> = {};
    const cases = dialect === 'postgres' ? Math.ceil(CASES / 2) : CASES;
    for (let i = 0; i < cases; i++) {
      let msg = seeds[int(r, seeds.length)]!;
      for (let k = 0, n = 1 + int(r, 3); k < n; k++) msg = mutators[int(r, mutators.length)]!(msg, r);
      let out;
      try {
        out = await receiveMail(app.ctx, msg, { mailFrom: 'fuzz@example.net', rcptTo: ['letters@review.example.com'] }, 'smtp');
      } catch (err) {
        assert.fail(`case ${i} threw: ${(err as Error).message}`);
      }
      const row = await findInbound(app.ctx.db, out.id);
      assert.ok(row, `case ${i}: not stored`);
      assert.ok(['letter', 'thread_reply', 'tray', 'quarantined'].includes(row.status), `case ${i}: left ${row.status}`);
      if (row.status === 'quarantined') assert.ok(row.quarantineReason, `case ${i}: quarantined without a reason`);
      if (row.status === 'letter') assert.ok(row.letterId, `case ${i}: letter without a letter id`);
      seen[row.status] = (seen[row.status] ?? 0) + 1;
    }
    console.log(`intake fuzz [${dialect}] ${cases} cases: ${JSON.stringify(seen)}`);
  });
});
