// Every corpus message sent over real SMTP on loopback, then checked where an
// editor would look: letters in the queue with the writer's own text, the
// rest in the tray, an acknowledgement for letters only (threaded on the
// writer's Message-ID, marked auto-replied), none for anything else.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { getJson } from '../support/app.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { findInbound } from '../../src/db/repositories/inbound.ts';
import { fromOf, inboundIdOf, startMailDesk, type MailDesk } from './support.ts';

type Label = { file: string; kind: string; mustContain: string[]; mustNotContain: string[]; writerName: string; writerEmail: string };

const MAIL_DIR = `${FIXTURES}corpus/mail/`;
const labels: Label[] = fs
  .readFileSync(`${FIXTURES}corpus/labels.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

forEachDialect('corpus over SMTP', (dialect) => {
  let desk: MailDesk;
  let editor: string;
  const outcome = new Map<string, { id: string; response: string }>();

  before(async () => {
    desk = await startMailDesk(dialect);
    editor = await desk.token('editor');
    for (const l of labels) {
      const raw = fs.readFileSync(MAIL_DIR + l.file);
      // Answered once stored; all of them read afterwards by the background, as a burst would be.
      const sent = await desk.send(raw, { from: fromOf(raw.toString('latin1')) }, { read: false });
      assert.ok(sent.ok, `${l.file}: ${sent.response}`);
      outcome.set(l.file, { id: inboundIdOf(sent.response), response: sent.response });
    }
    await desk.readSpooled();
  });
  after(() => desk.close());

  test('every message is stored with the labelled kind', async () => {
    const wrong: string[] = [];
    for (const l of labels) {
      const row = await findInbound(desk.ctx.db, outcome.get(l.file)!.id);
      assert.ok(row, l.file);
      if (row.kind !== l.kind) wrong.push(`${l.file}: ${row.kind} (${row.reason}), expected ${l.kind}`);
      assert.ok(row.status === (l.kind === 'letter' ? 'letter' : 'tray'), `${l.file}: status ${row.status} (${row.reason})`);
    }
    assert.deepEqual(wrong, []);
  });

  test('letters are in the queue with the writer’s own text, their auth results and message id', async () => {
    for (const l of labels.filter((x) => x.kind === 'letter')) {
      const row = (await findInbound(desk.ctx.db, outcome.get(l.file)!.id))!;
      assert.ok(row.letterId, `${l.file}: no letter`);
      const { status, json } = await getJson(`${desk.url}/api/v1/letters/${row.letterId}`, editor);
      assert.equal(status, 200);
      for (const s of l.mustContain) assert.ok(json.body.includes(s), `${l.file}: body lacks "${s}"`);
      for (const s of l.mustNotContain) assert.ok(!json.body.includes(s), `${l.file}: body keeps "${s}"`);
      assert.equal(json.source, 'email');
      assert.equal(json.writer.email.toLowerCase(), l.writerEmail.toLowerCase(), l.file);
      assert.equal(json.inbound.id, row.id);
      assert.ok(json.inbound.auth && 'spf' in json.inbound.auth && 'dkim' in json.inbound.auth && 'dmarc' in json.inbound.auth, `${l.file}: auth results`);
    }
  });

  test('non-letters are in the tray, listed by the API, and never answered', async () => {
    const { status, json } = await getJson(`${desk.url}/api/v1/inbound?status=tray&limit=200`, editor);
    assert.equal(status, 200);
    const trayIds = new Set(json.items.map((i: { id: string }) => i.id));
    await desk.drainEvents();
    const mail = await listOutbox(desk.ctx.db, { limit: 1000 });
    for (const l of labels.filter((x) => x.kind !== 'letter')) {
      const id = outcome.get(l.file)!.id;
      assert.ok(trayIds.has(id), `${l.file} not in the tray`);
      const row = (await findInbound(desk.ctx.db, id))!;
      assert.equal(row.letterId, null);
      assert.ok(!mail.some((m) => m.to.address.toLowerCase() === (row.fromAddress ?? '').toLowerCase() && m.createdAt >= row.receivedAt && !m.letterId), `${l.file} answered`);
    }
    // Every outgoing mail belongs to a letter: nothing else was answered.
    const letterIds = new Set<string>();
    for (const l of labels.filter((x) => x.kind === 'letter')) letterIds.add((await findInbound(desk.ctx.db, outcome.get(l.file)!.id))!.letterId!);
    for (const m of mail) assert.ok(m.letterId && letterIds.has(m.letterId), `unexpected outgoing mail to ${m.to.address}`);
    const kinds = await getJson(`${desk.url}/api/v1/inbound?kind=spam`, editor);
    assert.equal(kinds.json.items.length, labels.filter((l) => l.kind === 'spam').length);
  });

  test('each letter is acknowledged once, marked auto-replied and threaded on the writer’s message', async () => {
    await desk.drainEvents();
    const mail = await listOutbox(desk.ctx.db, { limit: 1000 });
    for (const l of labels.filter((x) => x.kind === 'letter')) {
      const row = (await findInbound(desk.ctx.db, outcome.get(l.file)!.id))!;
      const acks = mail.filter((m) => m.letterId === row.letterId && m.kind === 'acknowledgement');
      assert.equal(acks.length, 1, `${l.file}: ${acks.length} acknowledgements`);
      assert.equal(acks[0]!.headers['Auto-Submitted'], 'auto-replied');
      if (row.messageId) assert.equal(acks[0]!.headers['In-Reply-To'], row.messageId, l.file);
    }
  });
});
