// The SMTP spool knows a message by its sender and Message-ID from the header
// block alone (src/mail/message-key.ts). That key must be the one reading
// the whole message gives (dedupeKeyOf), or a redelivery would be stored
// twice: checked over every fixture message, over mutated ones, and on the
// header forms that differ from the plain case.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { readInbound } from '../../src/mail/index.ts';
import { headerMessageKey } from '../../src/mail/message-key.ts';
import { dedupeKeyOf } from '../../src/inbound/understand.ts';
import { withoutNul } from '../../src/inbound/options.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { mutatedMessage, seedMessages } from '../support/mime-mutations.ts';
import { rng } from '../support/random.ts';

const SENDER = 'envelope@example.net';
const env = { mailFrom: SENDER, rcptTo: ['letters@review.example.com'] };

/** The key reading the whole message gives (as the mail workers hand it over: NUL removed), and the one the door reads from its header (each falling back to the bytes' key). */
async function keys(raw: Buffer): Promise<{ read: string; door: string; ok: boolean }> {
  const parsed = withoutNul(await readInbound(raw));
  return { read: dedupeKeyOf(parsed, env, 'digest'), door: headerMessageKey(raw, SENDER) ?? 'sha:digest', ok: parsed.ok };
}

const fixtureFiles = ['corpus/mail', 'set-of-emails', 'held-back/set-of-emails', 'forwarded'].flatMap((dir) =>
  fs
    .readdirSync(FIXTURES + dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => `${dir}/${f}`),
);

test('every fixture message: the key from the header block is the key reading the message gives', async () => {
  const differ: string[] = [];
  let withId = 0;
  for (const f of fixtureFiles) {
    const k = await keys(fs.readFileSync(FIXTURES + f));
    if (k.read.startsWith('msg:')) withId++;
    if (k.door !== k.read) differ.push(`${f}: door ${k.door} / read ${k.read}`);
  }
  assert.deepEqual(differ, []);
  assert.ok(fixtureFiles.length >= 300 && withId >= 250, `${fixtureFiles.length} messages, ${withId} with a Message-ID`);
});

test('mutated messages that can be read: the same key either way', async () => {
  const r = rng(20261201);
  const seeds = seedMessages(40);
  const differ: string[] = [];
  let read = 0;
  for (let i = 0; i < 1000; i++) {
    const msg = mutatedMessage(seeds, r);
    const k = await keys(msg);
    // Unreadable mail is quarantined and known by its bytes when read; the door may still find its Message-ID.
    if (!k.ok) continue;
    read++;
    if (k.door !== k.read) differ.push(`#${i}: door ${k.door} / read ${k.read}`);
  }
  assert.ok(read >= 500, `only ${read} of 1000 mutated messages could be read`);
  assert.deepEqual(differ.slice(0, 5), []);
});

const message = (head: string[], eol = '\r\n') => Buffer.from([...head, '', 'Dear Editor, the tram line matters.', ''].join(eol), 'utf8');

test('header forms: folded, encoded, grouped, missing, repeated, LF-only, an mbox line, non-ASCII', async () => {
  const cases: Record<string, Buffer> = {
    'folded Message-ID': message(['From: Ana <ana@example.org>', 'Message-ID:', ' <folded-1@example.org>', 'Subject: Hi']),
    'encoded name': message(['From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <JM@Example.DE>', 'Message-ID: <enc-1@example.de>']),
    'group From': message(['From: Letters: ana@example.org, bo@example.org;', 'Message-ID: <group-1@example.org>']),
    'no From (the envelope sender)': message(['Message-ID: <nofrom-1@example.org>', 'Subject: Hi']),
    'two From fields (the first)': message(['From: first@example.org', 'From: second@example.org', 'Message-ID: <two-1@example.org>']),
    'two Message-IDs (the first)': message(['From: ana@example.org', 'Message-ID: <one@example.org>', 'Message-ID: <two@example.org>']),
    'LF line ends': message(['From: Ana <ana@example.org>', 'Message-Id:  <lf-1@example.org>  '], '\n'),
    'mbox From line': message(['From ana@example.org Tue Nov 24 10:00:00 2026', 'From: Ana <ana@example.org>', 'Message-ID: <mbox-1@example.org>']),
    'UTF-8 header': message(['From: Zoë Ünal <zoë@exämple.org>', 'Message-ID: <utf8-ü@example.org>']),
    'NUL in the Message-ID': message(['From: ana@example.org', 'Message-ID: <nul-\u0000-1@example.org>']),
    'From with a space before the colon, first': message(['From : ana@example.org', 'Message-ID: <space-1@example.org>']),
    'no Message-ID': message(['From: ana@example.org', 'Subject: Hi']),
  };
  for (const [name, raw] of Object.entries(cases)) {
    const k = await keys(raw);
    assert.equal(k.door, k.read, name);
  }
  assert.equal(headerMessageKey(cases['encoded name']!, SENDER), 'msg:jm@example.de|<enc-1@example.de>');
  assert.equal(headerMessageKey(cases['no From (the envelope sender)']!, SENDER), `msg:${SENDER}|<nofrom-1@example.org>`);
  assert.equal(headerMessageKey(cases['no Message-ID']!, SENDER), null);
});

test("a header block over the reader's limits gives no key: the message is known by its bytes", () => {
  const long = message(['From: ana@example.org', ...Array.from({ length: 6000 }, (_, i) => `X-Filler-${i}: ${'x'.repeat(40)}`), 'Message-ID: <late@example.org>']);
  assert.equal(headerMessageKey(long, SENDER), null);
  const short = message(['From: ana@example.org', 'X-Filler: x', 'Message-ID: <early@example.org>']);
  assert.equal(headerMessageKey(short, SENDER), 'msg:ana@example.org|<early@example.org>');
});
