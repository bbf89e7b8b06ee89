// Small unit checks: threading ids, own-mail detection, classifier edge cases that
// must stay letters, extraction cases a letters desk meets, HTML conversion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  letterIdFromReferences, letterIdFromMessageId, readInbound, extractLetter, htmlToText, trimReply,
} from '../../src/mail/index.ts';

const enc = (s: string) => new TextEncoder().encode(s.replace(/\r?\n/g, '\r\n'));

test('letter id from the desk\'s own Message-IDs', () => {
  assert.equal(letterIdFromMessageId('<letter.01HZX3.k9f2@review.example.com>'), '01HZX3');
  assert.equal(letterIdFromMessageId('<letter.01HZX3.k9f2@review.example.com>', 'other.example'), null);
  assert.equal(letterIdFromMessageId('<CAF8@mail.gmail.com>'), null);
  assert.equal(letterIdFromReferences('<letter.abc.r1@d.example>', null), 'abc');
  assert.equal(letterIdFromReferences(null, '<x@y> <letter.old.r1@d.example> <z@w> <letter.new.r2@d.example>'), 'new');
  assert.equal(letterIdFromReferences('<x@y>', '<a@b>'), null);
  assert.equal(letterIdFromReferences(undefined, undefined), null);
  assert.equal(letterIdFromReferences('<' + 'x'.repeat(100_000), null), null);
});

test('a reply to the desk is threaded, and own mail is recognised', async () => {
  const reply = await readInbound(enc('From: Ann <ann@example.org>\nTo: letters@review.example.com\nSubject: Re: Your letter\nIn-Reply-To: <letter.L42.abc@review.example.com>\nReferences: <letter.L42.abc@review.example.com>\n\nPlease change "week" to "month".\n\nOn Mon, 1 Nov 2010 at 10:00, Letters Desk <letters@review.example.com> wrote:\n> Thank you for your letter.\n'), { ownAddresses: ['letters@review.example.com'], ownDomain: 'review.example.com' });
  assert.ok(reply.ok);
  if (reply.ok) {
    assert.equal(reply.inReplyToLetterId, 'L42');
    assert.equal(reply.body, 'Please change "week" to "month".');
    assert.equal(reply.ownMail, false);
  }
  const own = await readInbound(enc('From: Letters Desk <letters@review.example.com>\nTo: ann@example.org\nSubject: Your letter\nMessage-ID: <letter.L42.zz@review.example.com>\nAuto-Submitted: auto-replied\n\nThank you.\n'), { ownAddresses: ['letters@review.example.com'] });
  assert.ok(own.ok && own.ownMail && own.kind === 'autoreply');
});

test('ordinary letters are not mistaken for machine mail', async () => {
  for (const subject of ['The absence of leadership', 'I am outraged by the tram', 'Holiday traffic on Quay Street', 'Rejected: my view on the budget', 'Re: Your letter to The Example Review']) {
    const r = await readInbound(enc(`From: Ann Reader <ann@example.org>\nTo: letters@review.example.com\nSubject: ${subject}\n\nDear Editor,\n\nThe council must finish the line.\n\nAnn Reader\nEastbank\n`));
    assert.ok(r.ok && r.kind === 'letter', `${subject}: ${r.ok ? r.reason : r.reason}`);
  }
});

test('machine mail headers are recognised', async () => {
  const cases: Array<[string, string]> = [
    ['Auto-Submitted: auto-generated', 'autoreply'],
    ['X-Autorespond: yes', 'autoreply'],
    ['Precedence: bulk', 'list'],
    ['List-Id: <news.example.org>', 'list'],
    ['X-Failed-Recipients: a@b.example', 'bounce'],
  ];
  for (const [h, kind] of cases) {
    const r = await readInbound(enc(`From: Someone <s@example.org>\nTo: letters@review.example.com\nSubject: Hello\n${h}\n\nText.\n`));
    assert.ok(r.ok && r.kind === kind, `${h}: ${r.ok ? r.kind + ' ' + r.reason : r.reason}`);
  }
  const empty = await readInbound(enc('Return-Path: <>\nFrom: Someone <s@example.org>\nSubject: Abwesenheitsnotiz\n\nIch bin nicht im Büro.\n'));
  assert.ok(empty.ok && empty.kind === 'autoreply');
});

test('a letter that quotes a writer keeps its own text', () => {
  const text = 'Dear Editor,\n\nIn 1776 Jefferson wrote:\n\nWe hold these truths to be self-evident.\n\nThe council should remember it.\n\nAnn Reader';
  assert.equal(extractLetter(text).body, text);
  const rule = 'Dear Editor,\n\nFirst point about the tram.\n\n* * *\n\n***\n\nSecond point: the council must publish a timetable. It has not done so. Nobody knows when.\n\nAnn';
  assert.match(extractLetter(rule).body, /Second point/);
});

test('disclaimers and corporate signatures go, sign-off stays', () => {
  const text = 'To the Editor,\n\nThe bill is weak.\n\nJohn Smith\nSpringfield\n\nJohn Smith | Director\nAcme Widgets Inc. | +1 555 010 2000\nwww.acme.example\n\nThis email is confidential and intended solely for the addressee. If you received this message in error please notify the sender.';
  assert.equal(extractLetter(text, { fromName: 'John Smith' }).body, 'To the Editor,\n\nThe bill is weak.\n\nJohn Smith\nSpringfield');
});

test('HTML to text: blockquotes become quotes, entities decoded, no markup', () => {
  const t = htmlToText('<div>Hi &amp; thanks&nbsp;&mdash; see <a href="https://ex.example/a">the piece</a></div><blockquote><p>old</p><blockquote>older</blockquote></blockquote><script>x()</script>');
  assert.equal(t, 'Hi & thanks — see the piece <https://ex.example/a>\n\n> old\n\n>> older');
  assert.equal(trimReply('New text\n\nOn Mon, 1 Nov 2010 at 10:00, A <a@b.example> wrote:\n> old'), 'New text');
});

test('HTML-only reply: the Gmail quote is trimmed', async () => {
  const html = '<div dir="ltr">Please print my correction.<br><br>Ann</div><br><div class="gmail_quote">On Fri, Oct 29, 2010 at 10:30 AM, Letters Desk &lt;letters@review.example.com&gt; wrote:<br><blockquote class="gmail_quote">Thank you for writing.<br>The Letters Desk</blockquote></div>';
  const r = await readInbound(enc(`From: Ann <ann@example.org>\nSubject: Re: Your letter\nContent-Type: text/html; charset=utf-8\n\n${html}\n`));
  assert.ok(r.ok);
  if (r.ok) {
    // "Ann" under the text is the sender's sign-off: the writer's name, not the letter's text.
    assert.equal(r.body, 'Please print my correction.');
    assert.equal(r.writer.name, 'Ann');
    assert.match(r.original, /Thank you for writing/);
  }
});

test('a short first sentence with a colon and a year is the writer\'s text, not part of the quote marker', () => {
  const text = 'A correction: the line opened in 1994, not 1996.\n\nOn Tue, 24 Nov 2026 at 10:00, The Example Review letters <letters@review.example.com> wrote:\n> Thank you for your letter.\n> Please confirm.\n';
  assert.equal(trimReply(text), 'A correction: the line opened in 1994, not 1996.');
  // A marker wrapped over two lines by a mail client is still one marker.
  const wrapped = 'Agreed.\n\nOn Tue, 24 Nov 2026 at 10:00, The Example Review letters\n<letters@review.example.com> wrote:\n> Thank you.\n';
  assert.equal(trimReply(wrapped), 'Agreed.');
});

test('letters about mail, absence and delivery stay letters', async () => {
  const cases: Array<[string, string]> = [
    ['Undeliverable promises', 'The council promised a tram by next summer. Like my parcel last month, which could not be delivered because the depot had closed, the tram was not delivered either.'],
    ['Returned to sender', 'Our ballots were returned to sender twice this year. The post office says the address is unknown; we have lived here for thirty years.'],
    ['Out of office politics', 'Your columnist is right that out of office, politicians suddenly discover the virtues of public transport.'],
    ['Absent fathers', 'The report on the funding formula forgets the absent fathers of small towns, who left for work in the city.'],
    ['Delivery failure at the post office', 'Mail delivery failed in our street for three weeks. The postmaster told us the mailbox was full of unpaid overtime claims.'],
    ['Re: Your letter to The Example Review', 'Yes, you may shorten it. Mail delivery here is slow, so please reply by email.\n\nOn Mon, 1 Nov 2010, Letters Desk <letters@review.example.com> wrote:\n> Your letter could not be published in full.'],
  ];
  for (const [subject, text] of cases) {
    const r = await readInbound(enc(`From: Ann Reader <ann@example.org>\nTo: letters@review.example.com\nSubject: ${subject}\n\nDear Editor,\n\n${text}\n\nAnn Reader\nEastbank\n`));
    assert.ok(r.ok && r.kind === 'letter', `${subject}: ${r.ok ? r.kind + ' ' + r.reason : r.reason}`);
  }
});

test('a message whose text cannot be read is no letter: no body, and the reason says why', async () => {
  const junk = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919 + 13) % 256)).toString('base64');
  const cases = [
    `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${junk}\n`,
    `Content-Type: image/jpeg; name="letter.jpg"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="letter.jpg"\n\n${junk}\n`,
    'Content-Type: text/plain\n\n\n',
  ];
  for (const c of cases) {
    const r = await readInbound(enc(`From: Ann Reader <ann@example.org>\nTo: letters@review.example.com\nSubject: My letter\nMIME-Version: 1.0\n${c}`));
    assert.ok(r.ok);
    if (!r.ok) continue;
    assert.equal(r.kind, 'letter');
    assert.equal(r.body, '');
    assert.match(r.reason, /^no readable text/);
  }
  // A short text with a few wrong-charset characters still reads.
  const ok = await readInbound(new Uint8Array([...enc('From: Ann <ann@example.org>\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\nCaf'), 0xe9, 0x20, 0x92, 0x0d, 0x0a]));
  assert.ok(ok.ok && ok.body.startsWith('Caf') && ok.reason === 'no automatic-mail signs');
});

test('machine mail without report or readable text is told by its headers', async () => {
  const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 104729 + 7) % 256)).toString('base64');
  const body = `MIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${junk}\n`;
  const cases: Array<[string, string]> = [
    ['From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nSubject: Returned mail: see transcript for details', 'bounce'],
    ['From: <>\nSubject: Delivery Status', 'bounce'],
    ['From: post_master@sms.example.com\nSubject: Re: test', 'bounce'],
    ['From: Ann <ann@example.org>\nSubject: Undelivered Mail Returned to Sender', 'bounce'],
    ['From: Ann <ann@example.org>\nX-MS-Exchange-Message-Is-Ndr: \nSubject: Hello', 'bounce'],
    ['From: Ann <ann@example.org>\nSubject: Hello\nX-Apple-Action: vacation', 'autoreply'],
    ['From: Ann <ann@example.org>\nSubject: Automatic reply: The tram', 'autoreply'],
    ['From: Ann <ann@example.org>\nSubject: Hello\nX-Mailman-Version: 2.1.9', 'list'],
  ];
  for (const [h, kind] of cases) {
    const r = await readInbound(enc(`${h}\nTo: letters@review.example.com\n${body}`));
    assert.ok(r.ok && r.kind === kind, `${h.replace(/\n/g, ' | ')}: ${r.ok ? r.kind + ' ' + r.reason : r.reason}`);
  }
  // Forwarded or answered by a person, the same subject is a person's mail.
  const fwd = await readInbound(enc('From: Ann <ann@example.org>\nTo: letters@review.example.com\nSubject: Fwd: Undelivered Mail Returned to Sender\n\nDear Editor, my letter to you bounced last week, so here it is again: the council must finish the tram before it asks for more money.\n\nAnn\n'));
  assert.ok(fwd.ok && fwd.kind === 'letter', fwd.ok ? fwd.reason : fwd.reason);
});
