// Letters forwarded as attachments (issue 16): a writer forwards a letter sent
// earlier as an attached message, with a line of their own above it. The
// fixtures are built as the mail clients build them: Thunderbird's "Forward as
// attachment" (message/rfc822, disposition attachment), Gmail's (note in
// multipart/alternative, message/rfc822 named .eml), a saved .eml file attached
// as application/octet-stream in base64 (Outlook, webmail uploads), and Apple
// Mail's inline message/rfc822.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInbound, publicationAddresses } from '../../src/mail/index.ts';

const OWN = { ownAddresses: ['letters@review.example.com'], ownDomain: 'review.example.com' };
const read = async (name: string) => {
  const r = await readInbound(new Uint8Array(readFileSync(new URL(`../fixtures/forwarded/${name}`, import.meta.url))), OWN);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r as Extract<typeof r, { ok: true }>;
};

const cases = [
  {
    file: 'thunderbird-attached-message.eml',
    // The sign-off ("Margaret Ellison / Eastbank") gives the town and leaves the text.
    writer: { name: 'Margaret Ellison', email: 'm.ellison@example.org', town: 'Eastbank' },
    date: '2010-10-19T20:14:07.000Z',
    subject: 'The tram and the bearings',
    contains: ['steel bearings', 'who inspects what the city buys.'],
    note: 'I sent this to the Courier on Tuesday',
    elsewhere: ['letters@eastbankcourier.example'],
  },
  {
    file: 'gmail-forward-as-attachment.eml',
    // Signed "Tomás Varga / Dayton, Ohio": the writer's own spelling, and the town.
    writer: { name: 'Tomás Varga', email: 'tomas.varga@example.com', town: 'Dayton, Ohio' },
    date: '2010-10-28T23:40:12.000Z',
    subject: 'Auditors in Islamabad',
    contains: ['a ministry annex near the Margalla Hills', 'Fund the auditors, not another round of promises.'],
    note: 'Here is the letter I mentioned on the phone',
    elsewhere: ['opinion@harborherald.example', 'letters@thedailyledger.example'],
  },
  {
    file: 'outlook-eml-file.eml',
    writer: { name: 'Rosa Delgado', email: 'rdelgado@example.org', town: 'Millbrook' },
    date: '2010-11-06T01:22:03.000Z',
    subject: 'The funding formula and our valley school',
    contains: ["Robert Adeyemi's piece on the 1994 funding formula", 'the boiler does not care'],
    note: 'I am not sure my letter from Friday reached you',
    elsewhere: [],
  },
  {
    file: 'apple-mail-inline-message.eml',
    writer: { name: 'Daniel Okoye', email: 'd.okoye@example.net', town: 'Port Clement' },
    date: '2010-10-23T15:05:44.000Z',
    subject: 'Ellie Marsh and the lost charts',
    contains: ['Ellie Marsh deserves more than a line'],
    note: 'The Gazette did not print this.',
    elsewhere: ['editor@portclementgazette.example', 'letters@portclementgazette.example'],
  },
];

for (const c of cases) {
  test(`forwarded as an attachment (${c.file}): the attached letter, its writer and date; the note beside it`, async () => {
    const r = await read(c.file);
    assert.equal(r.kind, 'letter', r.reason);
    assert.deepEqual(r.writer, c.writer);
    assert.equal(r.date, c.date);
    assert.equal(r.subject, c.subject);
    for (const s of c.contains) assert.ok(r.body.includes(s), `body should contain ${JSON.stringify(s)}\n---\n${r.body}`);
    if (c.writer.town) assert.ok(!r.body.trimEnd().endsWith(c.writer.town), `the sign-off is not part of the letter's text\n---\n${r.body}`);
    assert.ok(r.coveringNote?.startsWith(c.note), `covering note: ${r.coveringNote}`);
    assert.ok(!r.body.includes(c.note), 'the note is not part of the letter');
    assert.ok(r.forwardedBy?.address, 'who forwarded it is kept');
    // Where the letter was first sent counts as sent elsewhere too.
    assert.deepEqual(publicationAddresses(r.otherRecipients).map((p) => p.address).sort(), [...c.elsewhere].sort());
  });
}

test('a new letter in the body with an earlier one attached for reference: the body is the letter', async () => {
  const r = await read('new-letter-with-earlier-attached.eml');
  assert.equal(r.kind, 'letter');
  assert.match(r.body, /^Dear Editor,\n\nLast week I wrote to you/);
  assert.ok(!r.body.includes('Who signed for them?'));
  assert.equal(r.coveringNote, undefined);
  assert.equal(r.date, '2010-11-01T18:40:00.000Z');
});

const enc = (s: string) => new TextEncoder().encode(s.replace(/\r?\n/g, '\r\n'));

test('an attached bounce or the desk\'s own mail is not taken for the letter', async () => {
  const bounce = [
    'From: MAILER-DAEMON@mx.example.net', 'To: ann@example.org', 'Subject: Undelivered Mail Returned to Sender', 'Date: Mon, 1 Nov 2010 10:00:00 +0000', '',
    'This is the mail system at host mx.example.net. I\'m sorry to have to inform you that your message could not be delivered to one or more recipients.',
    '', '<letters@oldpaper.example>: host mx.oldpaper.example[192.0.2.1] said: 550 5.1.1 User unknown', '',
  ].join('\n');
  const own = [
    'From: Letters Desk <letters@review.example.com>', 'To: ann@example.org', 'Subject: Your letter', 'Date: Mon, 1 Nov 2010 10:00:00 +0000', '',
    'Thank you for your letter about the tram. We read every letter; we will write again if we would like to publish yours.', '',
  ].join('\n');
  for (const [what, inner] of [['bounce', bounce], ['own mail', own]] as const) {
    const raw = enc([
      'From: Ann Reader <ann@example.org>', 'To: letters@review.example.com', `Subject: Fwd: ${what}`, 'Date: Tue, 2 Nov 2010 09:00:00 +0000',
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '',
      'Dear Editor, my letter to the Courier bounced, so I am sending it to you instead: the tram must be finished before the council asks for more money, and the bearings supplier must pay for the delay.',
      'Ann Reader', '', '--b1', 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="message.eml"', '', inner, '--b1--', '',
    ].join('\n'));
    const r = await readInbound(raw, OWN);
    assert.ok(r.ok);
    if (!r.ok) continue;
    assert.equal(r.writer.email, 'ann@example.org', what);
    assert.match(r.body, /the tram must be finished/, what);
    assert.equal(r.coveringNote, undefined, what);
  }
});
