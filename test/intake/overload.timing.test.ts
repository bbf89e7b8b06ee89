// Overload, as issue 14 found it: 208 writers posting letters as fast as they
// are answered, 32 desk readers, 16 clients posting 2 MB bodies and 16
// senders of letters by SMTP, against the
// whole desk in a process of its own, on each database. The write queue
// limit is set low (64) so that the node is past its capacity on any
// machine and must shed. What a user would notice is asserted, not times
// (those are in bench/overload.ts): every letter acknowledged is stored,
// once (by SMTP too); every refusal is a 503 with Retry-After (SMTP: a 451
// with the seconds) and says when in words, and
// a writer who waits that long gets the letter in; nothing refused is
// stored; the desk keeps answering; an oversized body is refused from its
// declared length, before a byte of it is sent; memory stays bounded.
// It asserts no time, but its load would upset the tests that do, so it runs
// in their pass, alone (scripts/run-tests.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDb } from '../../src/db/connect.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';
import { runOverload, sendLetterUntilTaken, sendMailUntilTaken, startDeskProcess, type DeskProcess, type OverloadResult } from '../support/overload.ts';

/** Resident memory the desk's process may reach under this load (it idles near 250 MiB: two V8 heaps, the writer thread's and the main one). */
const MEMORY_BOUND_MIB = 1024;

forEachDialect('overload', (dialect) => {
  let db: TestDatabase;
  let desk: DeskProcess;
  let r: OverloadResult;
  let stored: { id: string; source: string }[];
  let afterLoad: { key: string; id: string }[] = [];
  let lettersAfterLoad: { key: string; id: string }[] = [];
  let inbound: { id: string; message_id: string | null; status: string; letter_id: string | null }[];

  before(async () => {
    db = await createTestDatabase(dialect);
    desk = await startDeskProcess({ LETTERDESK_DATA: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}), LETTERDESK_WRITE_QUEUE_LIMIT: '64' });
    // The mail workers started (their first message loads the mail modules), as on a desk that has been running.
    await sendMailUntilTaken(desk.smtp, 'warm@example.net', Buffer.from(`From: warm@example.net\r\nTo: ${desk.smtp.to}\r\nSubject: Warm\r\nMessage-ID: <warm-${dialect}@example.net>\r\n\r\nDear editor, the workers are warm now.\r\n`));
    r = await runOverload(desk.url, desk.token, { writers: 208, readers: 32, oversized: 16, durationMs: 8000, article: 'seed-isi-taliban', memoryPid: desk.pid, smtp: { senders: 16, ...desk.smtp } });
    // Once the load is gone, each letter refused and not yet taken is sent again with its key, until taken.
    const ackedKeys = new Set(r.acknowledged.map((a) => a.key));
    const refusedLetters = new Map(r.writes.filter((w) => w.status === 503 && !ackedKeys.has(w.key)).map((w) => [w.key, w]));
    for (const w of refusedLetters.values()) lettersAfterLoad.push({ key: w.key, id: await sendLetterUntilTaken(desk.url, w.key, w.sent) });
    // Once the load is gone, each message refused by SMTP and not yet taken is sent again, as a sending server would, until taken.
    const taken = new Set(r.mailTaken.map((m) => m.key));
    const refusedLast = new Map(r.mail.filter((m) => m.code !== 250 && !taken.has(m.key)).map((m) => [m.key, m]));
    for (const m of refusedLast.values()) afterLoad.push({ key: m.key, id: (await sendMailUntilTaken(desk.smtp, m.from, m.raw)).id });
    const check = await openDb({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    // SMTP answered once each message was stored; the desk's background reads them (at its own pace, after the burst).
    for (let waited = 0; (await check.read.selectFrom('inbound_messages').select('id').where('status', '=', 'received').limit(1).execute()).length > 0; waited += 200) {
      assert.ok(waited < 120_000, 'mail taken under load was still unread two minutes later');
      await new Promise((r) => setTimeout(r, 200));
    }
    await desk.stop();
    stored = await check.read.selectFrom('letters').select(['id', 'source']).execute();
    inbound = await check.read.selectFrom('inbound_messages').select(['id', 'message_id', 'status', 'letter_id']).execute();
    await check.close();
  });
  after(async () => {
    await desk?.stop().catch(() => {});
    await db?.drop();
  });

  test('the node takes letters and sheds the rest: 202 or 503, nothing else', () => {
    const statuses = new Set(r.writes.map((w) => w.status));
    assert.deepEqual([...statuses].filter((s) => s !== 202 && s !== 503), [], `unexpected answers to writers: ${[...statuses].join(', ')}`);
    assert.ok(r.acknowledged.length > 0, 'no letter was acknowledged');
    assert.ok(r.writes.some((w) => w.status === 503), 'past its queue limit the node never shed a letter');
    assert.deepEqual(r.errors, [], 'a client lost its connection');
  });

  test('every refusal says when: Retry-After in seconds and the same in words', () => {
    const refusals = [...r.writes, ...r.oversized].filter((a) => a.status === 429 || a.status === 503);
    assert.ok(refusals.length > 0);
    for (const a of refusals) {
      assert.match(a.retryAfter ?? '', /^[1-9]\d*$/, `a ${a.status} without a usable Retry-After: ${a.body}`);
      assert.ok(Number(a.retryAfter) <= 60, `Retry-After ${a.retryAfter} s is longer than a writer would wait`);
      const message = (JSON.parse(a.body) as { message: string }).message;
      assert.match(message, /try again in (a few seconds|about \d+ (seconds|minutes)|about a minute)/, `the message does not say when: ${message}`);
    }
  });

  test('every acknowledged letter is stored once, and nothing refused is stored', () => {
    // Acknowledged under load, or sent again with its key once the load was gone.
    const all = [...r.acknowledged, ...lettersAfterLoad];
    const acked = new Set(all.map((a) => a.id));
    assert.equal(acked.size, all.length, 'two keys were acknowledged with one letter');
    const ids = new Set(stored.map((l) => l.id));
    assert.equal(ids.size, stored.length);
    const missing = [...acked].filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], `${missing.length} acknowledged letters are not stored`);
    // Each writer's letters had keys of their own: a refused letter stored anyway would be one more.
    const api = stored.filter((l) => l.source === 'api').length;
    assert.equal(api, acked.size, `${api - acked.size} letters were stored that nobody was told about`);
  });

  test('every message taken by SMTP (250), under load or sent again after it, is stored once and is a letter', () => {
    assert.ok(r.mail.length >= 16, 'the SMTP senders sent nothing');
    assert.ok(r.mailTaken.length + afterLoad.length > 0);
    const byId = new Map(inbound.map((m) => [m.id, m]));
    for (const t of [...r.mailTaken, ...afterLoad]) {
      const row = byId.get(t.id);
      assert.ok(row, `message ${t.key} was answered 250 as ${t.id} but is not stored`);
      assert.equal(row.message_id, t.key);
      assert.equal(row.status, 'letter');
      assert.ok(row.letter_id && stored.some((l) => l.id === row.letter_id), `message ${t.id} has no letter`);
    }
    const messageIds = inbound.map((m) => m.message_id);
    assert.equal(new Set(messageIds).size, messageIds.length, 'a message sent again was stored twice');
  });

  test('SMTP refusals say when: 451 with the seconds, never a permanent failure', () => {
    const codes = new Set(r.mail.map((m) => m.code));
    assert.deepEqual([...codes].filter((c) => c !== 250 && c !== 451), [], `unexpected SMTP answers: ${[...codes].join(', ')}`);
    for (const m of r.mail.filter((m) => m.code === 451)) assert.match(m.text, /4\.3\.2 too busy to take the message now; please try again in \d+ seconds/);
  });

  test('a writer told to wait gets the letter in by sending it again', () => {
    const refusedKeys = new Set(r.writes.filter((w) => w.status === 503).map((w) => w.key));
    const takenLater = [...r.acknowledged, ...lettersAfterLoad].filter((a) => refusedKeys.has(a.key));
    assert.equal(takenLater.length, refusedKeys.size, 'a refused letter was never taken');
  });

  test('the desk keeps answering its readers while letters pour in', () => {
    assert.ok(r.reads.length >= 32 * 2, `only ${r.reads.length} reads were answered`);
    const bad = r.reads.filter((a) => a.status !== 200);
    assert.deepEqual(bad.map((a) => `${a.status} ${a.body.slice(0, 100)}`), []);
  });

  test('an oversized body is refused from its declared length, before any of it is sent', () => {
    assert.ok(r.oversized.length >= 16);
    for (const a of r.oversized) {
      assert.ok(a.status === 413 || a.status === 503, `an oversized body got ${a.status}`);
      assert.equal(a.bytesSent, 0, `the desk waited for ${a.bytesSent} bytes of a body declared as ${a.declared}`);
      if (a.status === 413) assert.match((JSON.parse(a.body) as { message: string }).message, /at most 1 MiB/);
    }
  });

  test('memory stays bounded', () => {
    assert.ok(r.peakRssMiB > 0, 'memory was not sampled');
    assert.ok(r.peakRssMiB < MEMORY_BOUND_MIB, `the desk reached ${Math.round(r.peakRssMiB)} MiB`);
  });
});
