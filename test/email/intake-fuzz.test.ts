// Fuzz at the intake level: mutated fixture messages
// (test/support/mime-mutations.ts) through receiveMail. Every case ends
// stored (letter, thread reply, tray) or quarantined with a reason: never
// lost, never a throw, never left half-processed. Reproducible: FUZZ_SEED and
// EMAIL_FUZZ_CASES override the defaults.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { receiveMail } from '../../src/inbound/index.ts';
import { findInbound } from '../../src/db/repositories/inbound.ts';
import { rng } from '../support/random.ts';
import { mutatedMessage, seedMessages } from '../support/mime-mutations.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const CASES = Number(process.env.EMAIL_FUZZ_CASES ?? 300);


const seeds = seedMessages(60);

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
      const msg = mutatedMessage(seeds, r);
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
