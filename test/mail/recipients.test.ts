// Sent to other papers too (issue 16): the parse result lists the To/Cc
// recipients other than the desk, and publicationAddresses says which of them
// look like other publications' letters addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otherRecipients, publicationAddresses, readInbound } from '../../src/mail/index.ts';

const a = (address: string, name = '') => ({ name, address });

test('other recipients: the desk (also letters+tag@, or its whole domain) and the sender are left out, each address once', () => {
  const to = [a('letters@review.example.com', 'Letters'), a('Letters+Tram@Review.Example.com'), a('letters@herald.example', 'Herald letters')];
  const cc = [a('ann@example.org'), a('LETTERS@herald.example'), a('friend@example.net'), a('editor@news.review.example.com')];
  assert.deepEqual(otherRecipients(to, cc, ['letters@review.example.com'], 'ann@example.org').map((r) => r.address), [
    'letters@herald.example', 'friend@example.net', 'editor@news.review.example.com',
  ]);
  assert.deepEqual(otherRecipients(to, cc, ['@review.example.com'], 'ann@example.org').map((r) => r.address), ['letters@herald.example', 'friend@example.net']);
});

test('publication letters addresses are recognised by local part and masthead-like domain', () => {
  const yes = [
    'letters@nytimes.example', 'letters.editor@thetimes.example', 'letters-to-the-editor@cityjournal.example', 'opinion@harborherald.example',
    'editor@valleygazette.example', 'editors@eastbanktribune.example', 'leserbriefe@stadtzeitung.example', 'courrier-des-lecteurs@lematin.example',
    'cartas@diariodelsur.example', 'lettere@ilgiornale.example', 'letters@someorg.example', 'newsdesk@morningpost.example', 'yourletters@dailystar.example',
    'Letters+Oct@Chronicle.example',
  ];
  const no = [
    'john.smith@gmail.com', 'letters@gmail.com', 'editor@hotmail.com', 'council@eastbank.gov', 'letters@parliament.gov.example',
    'info@acme.example', 'editor@acme.example', 'friend@example.net', 'sales@heraldprinting.example', 'mayor@eastbank.example',
  ];
  const found = publicationAddresses([...yes, ...no].map((x) => a(x))).map((p) => p.address);
  assert.deepEqual(found, yes);
  for (const p of publicationAddresses(yes.map((x) => a(x)))) assert.ok(p.reason.length > 0);
});

test('a letter sent to several papers shows them in the parse result', async () => {
  const raw = new TextEncoder().encode([
    'From: Ann Reader <ann@example.org>',
    'To: Letters <letters@review.example.com>, "Herald letters" <letters@harborherald.example>',
    'Cc: editor@valleygazette.example, Bob <bob@example.net>',
    'Subject: The tram', 'Date: Mon, 1 Nov 2010 10:00:00 +0000', '',
    'Dear Editor, the council must finish the tram line before it asks for more money.', '', 'Ann Reader', '',
  ].join('\r\n'));
  const r = await readInbound(raw, { ownAddresses: ['letters@review.example.com'] });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.deepEqual(r.otherRecipients.map((x) => x.address), ['letters@harborherald.example', 'editor@valleygazette.example', 'bob@example.net']);
  assert.deepEqual(publicationAddresses(r.otherRecipients).map((x) => x.address), ['letters@harborherald.example', 'editor@valleygazette.example']);
});

test('a letter forwarded inline: the forwarded block\'s To and Cc count as recipients', async () => {
  const raw = new TextEncoder().encode([
    'From: Ann Reader <ann@example.org>', 'To: letters@review.example.com', 'Subject: Fwd: The tram', 'Date: Tue, 2 Nov 2010 10:00:00 +0000', '',
    'They did not print it. Perhaps you will.', '',
    '---------- Forwarded message ---------', 'From: Ann Reader <ann@example.org>', 'Date: Mon, 1 Nov 2010 at 10:00', 'Subject: The tram',
    'To: <letters@eastbankcourier.example>', 'Cc: Opinion <opinion@harborherald.example>', '',
    'Dear Editor, the council must finish the tram line before it asks for more money, and it must tell Eastbank who approved the faulty bearings.', '',
    'Ann Reader', '',
  ].join('\r\n'));
  const r = await readInbound(raw, { ownAddresses: ['letters@review.example.com'] });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.match(r.body, /^Dear Editor, the council must finish/);
  assert.equal(r.coveringNote, 'They did not print it. Perhaps you will.');
  assert.deepEqual(publicationAddresses(r.otherRecipients).map((x) => x.address), ['letters@eastbankcourier.example', 'opinion@harborherald.example']);
});
