// The sign-off of a letter by email becomes the writer's name and town, and
// leaves the letter's text; the end of a letter that is not a sign-off (a
// sentence, a quote, an address, a slogan) stays in the letter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSignOff, signatureSignOff } from '../../src/mail/signoff.ts';
import { readInbound } from '../../src/mail/index.ts';

const TEXT = 'Dear Editor,\n\nYour article on the bypass was wrong about the costs. The council published the figures in March.';

const taken: { end: string; from?: string; name: string; town: string | null }[] = [
  { end: 'Harold Finch / Cambridge', name: 'Harold Finch', town: 'Cambridge' },
  { end: 'Harold Finch, Cambridge', name: 'Harold Finch', town: 'Cambridge' },
  { end: 'Harold Finch (Cambridge)', name: 'Harold Finch', town: 'Cambridge' },
  { end: 'Harold Finch – Cambridge', name: 'Harold Finch', town: 'Cambridge' },
  { end: 'Yours,\nHarold Finch\nCambridge', name: 'Harold Finch', town: 'Cambridge' },
  { end: 'Yours sincerely,\n\nHarold Finch\nNewcastle upon Tyne', name: 'Harold Finch', town: 'Newcastle upon Tyne' },
  { end: 'Regards,\n\nHarold Finch, Cambridge, MA', name: 'Harold Finch', town: 'Cambridge, MA' },
  { end: 'Kind regards,\nMary-Jane O’Neill\nStratford-upon-Avon', name: 'Mary-Jane O’Neill', town: 'Stratford-upon-Avon' },
  { end: 'Best,\n— Ana Ruiz, Sevilla', name: 'Ana Ruiz', town: 'Sevilla' },
  { end: 'Mit freundlichen Grüßen\nJürgen Müller\nFrankfurt am Main', name: 'Jürgen Müller', town: 'Frankfurt am Main' },
  { end: 'Cordialement,\nJean-Luc de la Tour (Aix-en-Provence)', name: 'Jean-Luc de la Tour', town: 'Aix-en-Provence' },
  { end: 'Atentamente,\nJosé García Márquez\nSan Sebastián', name: 'José García Márquez', town: 'San Sebastián' },
  // A name and town on two lines with no closing: taken when the name is the sender's.
  { end: 'Harold Finch\nCambridge', from: 'Harold Finch', name: 'Harold Finch', town: 'Cambridge' },
  { end: 'Tomás Varga\nDayton, Ohio', from: 'Tomas Varga', name: 'Tomás Varga', town: 'Dayton, Ohio' },
  // A first name alone for a sender with a full name: the full name is kept.
  { end: 'Yours,\nHarold', from: 'Harold Finch', name: 'Harold Finch', town: null },
  { end: 'Yours faithfully,\nDr H. Finch', name: 'Dr H. Finch', town: null },
];

for (const c of taken) {
  test(`sign-off taken: ${JSON.stringify(c.end)}`, () => {
    const r = readSignOff(`${TEXT}\n\n${c.end}`, c.from ?? '');
    assert.ok(r, 'a sign-off');
    assert.equal(r.name, c.name);
    assert.equal(r.town, c.town);
    assert.equal(r.body, TEXT, 'the letter without closing and sign-off');
  });
}

const notTaken: { end: string; from?: string; why: string }[] = [
  { end: 'We must act before the council votes.', why: 'a sentence' },
  { end: 'Build It Now', why: 'a slogan in capitals is no sign-off without a closing or the sender' },
  { end: '“The only thing we have to fear is fear itself.”', why: 'a quote' },
  { end: '"Cambridge, Harold Finch"', why: 'quoted text' },
  { end: '> Harold Finch / Cambridge', why: 'a quoted line' },
  { end: 'https://example.org/bypass-report', why: 'a URL' },
  { end: 'Read more at www.example.org/bypass', why: 'a sentence with an address' },
  { end: 'harold.finch@example.org', why: 'an email address' },
  { end: 'Thanks,\nthe residents of Mill Road', why: 'a closing then words that are no name' },
  { end: 'Shame, Westminster', why: 'two words with a comma and nothing to anchor them' },
  { end: 'Harold Finch\nCambridge', why: 'a name and a town on two lines, with no closing and another sender' },
  { end: 'Yours,\n12 Mill Road\nCambridge', why: 'a street address' },
  { end: 'Yours,\nMill Road, Cambridge', why: 'a street, not a name' },
  { end: 'PS: the figures are on page 4.', why: 'a postscript' },
];

for (const c of notTaken) {
  test(`not a sign-off (${c.why}): ${JSON.stringify(c.end)}`, () => {
    assert.equal(readSignOff(`${TEXT}\n\n${c.end}`, c.from ?? 'Pat Reader'), null);
  });
}

test('a sign-off is never the whole letter', () => {
  assert.equal(readSignOff('Harold Finch / Cambridge', ''), null);
  assert.equal(readSignOff('Yours,\nHarold Finch\nCambridge', ''), null);
  assert.equal(readSignOff('', ''), null);
});

test('on any text it answers without throwing, and the text it leaves is a prefix of the letter', () => {
  const samples = ['\n\n\n', 'Yours,', 'Yours,\n\n\n', 'a\nb\nc\nd', 'Ünïcödé / Ñ', 'x'.repeat(5000) + '\nHarold Finch / Cambridge'];
  for (const s of samples) {
    const r = readSignOff(s, 'Harold Finch');
    if (r) assert.ok(s.startsWith(r.body));
  }
});

test('signed under the "-- " delimiter: name and town read from the signature when the name is the sender’s', async () => {
  const mail = (from: string, sig: string) =>
    new TextEncoder().encode(`From: ${from}\r\nTo: letters@review.example.com\r\nSubject: The bypass\r\nMessage-ID: <sig-${Math.random()}@example.org>\r\n\r\n${TEXT.replace(/\n/g, '\r\n')}\r\n\r\n-- \r\n${sig.replace(/\n/g, '\r\n')}\r\n`);
  const r = await readInbound(mail('Harold Finch <hf@example.org>', 'Harold Finch\nCambridge\n+44 1223 000000'));
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.writer.town, 'Cambridge');
    assert.equal(r.body, TEXT, 'the signature stays out of the letter');
  }
  // A company's signature under another name is not the writer's sign-off.
  const c = await readInbound(mail('Harold Finch <hf@example.org>', 'Acme Consulting\nCambridge'));
  assert.ok(c.ok);
  if (c.ok) assert.equal(c.writer.town, undefined);
  assert.equal(signatureSignOff('text\n-- \n', 'text', 'Harold Finch'), null);
});
