// SIGTERM under load, as an orchestrator stops a node: SMTP tells new
// sessions to come back later (421) and lets the one under way finish; HTTP
// finishes what it took; the process exits 0; and every letter it
// acknowledged, by either door, is in the database afterwards.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';
import { getJson, postJson, startAppOn } from '../support/app.ts';
import { dataPayload, smtpSend, smtpSession } from '../support/smtp-client.ts';
import { inboundIdOf, readSpooled } from '../support/spool.ts';
import { LETTERS, letterMail, startNode } from './nodes.ts';

forEachDialect('graceful stop', (dialect) => {
  let db: TestDatabase;
  after(async () => db?.drop());

  test('SIGTERM under load: the SMTP session under way finishes, new ones get 421, HTTP finishes; exit 0; nothing acknowledged is lost', async () => {
    db = await createTestDatabase(dialect);
    const node = await startNode(db, 'a');
    const httpAcked: { id: string; body: string }[] = [];
    const smtpAcked: string[] = [];
    const smtpRefusals: number[] = [];
    let n = 0;
    let terminated = false;

    const httpClient = async () => {
      for (;;) {
        const i = n++;
        const body = `Letter ${i} by the API: the footbridge is overdue.`;
        const r = await postJson(`${node.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: `Writer ${i}`, email: `w${i}@example.org`, town: 'Eastbank', body, consent: true }).catch(() => null);
        if (r?.status === 202) httpAcked.push({ id: r.json.id, body });
        else if (terminated) return; // refused (503) or connection closed: the node is stopping
        else assert.fail(`before SIGTERM the API answered ${r?.status}`);
      }
    };
    const smtpClient = async () => {
      for (;;) {
        const i = n++;
        const r = await smtpSend(node.smtpPort, dataPayload(letterMail(i, `stop-${dialect}`)), { from: `reader${i}@example.net`, to: LETTERS });
        if (r.code === 250) smtpAcked.push(inboundIdOf(r.text));
        else if (terminated) {
          smtpRefusals.push(r.code);
          return;
        } else assert.fail(`before SIGTERM SMTP answered ${r.text}`);
      }
    };
    const clients = [httpClient(), httpClient(), httpClient(), smtpClient(), smtpClient()];
    while (httpAcked.length + smtpAcked.length < 30) await new Promise((r) => setTimeout(r, 20));

    // A session in the middle of its message when the signal comes.
    const slow = await smtpSession(node.smtpPort, { from: 'slow@example.net', to: LETTERS });
    assert.equal(slow.ready.code, 354);
    const payload = dataPayload(letterMail(9999, `slow-${dialect}`));
    slow.write(payload.subarray(0, 100));

    terminated = true;
    const signalled = Date.now();
    node.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const fresh = await smtpSend(node.smtpPort, dataPayload(letterMail(9998, `fresh-${dialect}`)), { from: 'fresh@example.net', to: LETTERS });
    assert.equal(fresh.code, 421, `a new session while draining: ${fresh.text}`);
    slow.write(payload.subarray(100));
    const slowAnswer = await slow.finish();
    assert.equal(slowAnswer.code, 250, `the session under way finishes: ${slowAnswer.text}`);
    smtpAcked.push(inboundIdOf(slowAnswer.text));

    await Promise.all(clients);
    const exit = await node.exited;
    const stopMs = Date.now() - signalled;
    assert.deepEqual(exit, { code: 0, signal: null }, node.output.slice(-10).join('\n'));
    assert.ok(node.output.some((l) => l.includes('"msg":"stopped"')), 'it says it stopped');
    assert.ok(smtpRefusals.every((c) => c === 421 || c === 0), `SMTP refused with 421 or by closing: ${smtpRefusals}`);

    // Every acknowledged letter is there.
    const after = await startAppOn(db);
    try {
      const viewer = await after.token('viewer');
      for (const a of httpAcked) {
        const r = await getJson(`${after.url}/api/v1/letters/${a.id}`, viewer);
        assert.equal(r.status, 200, `letter ${a.id} acknowledged by the API`);
        assert.equal(r.json.body, a.body);
      }
      // Mail taken but not read before the stop waits stored, and is read when the desk runs again.
      await readSpooled(after);
      const admin = await after.token('admin');
      for (const id of smtpAcked) {
        const r = await getJson(`${after.url}/api/v1/inbound/${id}`, admin);
        assert.equal(r.status, 200, `message ${id} acknowledged by SMTP`);
        assert.equal(r.json.status, 'letter');
      }
      console.log(`graceful stop [${dialect}]: ${httpAcked.length} letters acknowledged by HTTP, ${smtpAcked.length} by SMTP, all there; SMTP refusals after SIGTERM: ${smtpRefusals.join(', ') || 'none'}; stopped ${stopMs} ms after the signal`);
    } finally {
      await after.close();
    }
  });
});
