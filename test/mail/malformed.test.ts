// Hostile and broken input, generated here: every case parses leniently or comes
// back as { ok: false, reason } — never a throw, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Zip, ZipDeflate, zipSync, strToU8 } from 'fflate';
import { readInbound, parseMessage } from '../../src/mail/index.ts';
import type { InboundResult } from '../../src/mail/index.ts';

const enc = new TextEncoder();
const crlf = (s: string) => enc.encode(s.replace(/\r?\n/g, '\r\n'));
const HEAD = 'From: Ann Reader <ann@example.org>\nTo: letters@review.example.com\nSubject: Test\nMessage-ID: <t1@example.org>\nMIME-Version: 1.0\n';

async function settle(raw: Uint8Array, budgetMs = 10_000): Promise<InboundResult> {
  const started = Date.now();
  const r = await readInbound(raw);
  const took = Date.now() - started;
  assert.ok(took < budgetMs, `took ${took} ms`);
  assert.equal(typeof r.ok, 'boolean');
  if (!r.ok) assert.ok(r.reason.length > 0, 'a quarantine has a reason');
  return r;
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('empty and whitespace-only input is quarantined', async () => {
  for (const raw of [new Uint8Array(0), enc.encode('   \r\n\r\n  ')]) {
    const r = await settle(raw);
    assert.equal(r.ok, false);
  }
  // Not bytes at all (a caller mistake) is a quarantine too, not a TypeError.
  const r = await readInbound('From: x' as unknown as Uint8Array);
  assert.equal(r.ok, false);
});

test('binary junk never throws', async () => {
  const rnd = lcg(7);
  for (const size of [1, 17, 1000, 100_000]) {
    const raw = new Uint8Array(size).map(() => Math.floor(rnd() * 256));
    await settle(raw);
  }
});

test('multipart without boundary lines, or without a boundary parameter', async () => {
  const a = await settle(crlf(HEAD + 'Content-Type: multipart/mixed; boundary="zzz"\n\nDear Editor, the boundary never comes.\n'));
  const b = await settle(crlf(HEAD + 'Content-Type: multipart/alternative\n\n--x\nContent-Type: text/plain\n\nDear Editor, no boundary parameter.\n--x--\n'));
  for (const r of [a, b]) if (r.ok) assert.equal(r.kind, 'letter');
});

test('wrong and unknown charset labels', async () => {
  // UTF-8 text labelled with an unknown charset: repaired back to UTF-8.
  const body = 'Dear Editor, Zoë wrote a café review.\n';
  const r1 = await settle(crlf(HEAD + 'Content-Type: text/plain; charset="x-unknown"\nContent-Transfer-Encoding: 8bit\n\n' + body));
  assert.ok(r1.ok && r1.body.includes('Zoë wrote a café review'), r1.ok ? r1.body : r1.reason);
  // windows-1252 bytes labelled UTF-8: lenient (replacement characters), still a letter.
  const latin = new Uint8Array([...crlf(HEAD + 'Content-Type: text/plain; charset=utf-8\n\nCaf'), 0xe9, 0x20, 0x92, 0x0d, 0x0a]);
  const r2 = await settle(latin);
  assert.ok(r2.ok && r2.body.startsWith('Caf'));
  // A label that is pure nonsense.
  await settle(crlf(HEAD + 'Content-Type: text/plain; charset="\u0001\u0002;;=="\n\nHello.\n'));
});

test('broken header folding is repaired', async () => {
  const r = await settle(crlf('From: Ann Reader <ann@example.org>\nSubject: a subject that was folded\nwithout whitespace\nTo: letters@review.example.com\n\nDear Editor, hello.\n'));
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.subject, 'a subject that was folded without whitespace');
    assert.equal(r.writer.email, 'ann@example.org');
  }
});

test('a header block repaired for its folding keeps its raw UTF-8 bytes', async () => {
  // "€" is E2 82 AC: its middle byte is in 0x80–0x9F, which a windows-1252 decoding would change.
  const r = await settle(crlf('From: Ann Reader <ann@example.org>\nSubject: Preis 5 € und mehr\nohne Einzug\nTo: letters@review.example.com\n\nDear Editor, hello.\n'));
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.subject, 'Preis 5 € und mehr ohne Einzug');
});

test('8-bit junk in headers', async () => {
  const head = new Uint8Array([...enc.encode('From: '), 0xff, 0xfe, 0x80, ...enc.encode(' <ann@example.org>\r\nSubject: '), 0xc3, 0x28, 0xa0, 0xa1, 0x00, 0x1b, ...enc.encode('\r\nTo: letters@review.example.com\r\n\r\nDear Editor, junk above.\r\n')]);
  const r = await settle(head);
  assert.ok(r.ok);
});

test('deeply nested multiparts (200 levels) are quarantined with a reason or parsed', async () => {
  let body = 'Content-Type: text/plain\n\nDear Editor, deep inside.\n';
  for (let i = 0; i < 200; i++) {
    body = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${body}\n--b${i}--\n`;
  }
  const r = await settle(crlf(HEAD + body));
  if (!r.ok) assert.match(r.reason, /nest/i);
});

test('a 1,000-part message still parses', async () => {
  let body = 'Content-Type: multipart/mixed; boundary="p"\n\n--p\nContent-Type: text/plain\n\nDear Editor, many parts follow.\n';
  for (let i = 0; i < 999; i++) {
    body += `--p\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="f${i}.bin"\nContent-Transfer-Encoding: base64\n\nAAECAwQ=\n`;
  }
  body += '--p--\n';
  const r = await settle(crlf(HEAD + body));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  if (r.ok) {
    assert.equal(r.attachments.length, 999);
    assert.match(r.body, /many parts follow/);
  }
  // Far more parts than the limit: quarantined before parsing.
  const many = 'Content-Type: multipart/mixed; boundary="p"\n\n' + '--p\nContent-Type: text/plain\n\nx\n'.repeat(5000) + '--p--\n';
  const q = await settle(crlf(HEAD + many));
  assert.equal(q.ok, false);
});

test('a 10 MB body', async () => {
  const line = 'The council has delayed the tram again and nobody explains why. '.repeat(2) + '\n';
  const text = 'Dear Editor,\n\n' + line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
  const r = await settle(crlf(HEAD + 'Content-Type: text/plain; charset=utf-8\n\n' + text), 20_000);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  // The letter handed on is cut (at a word) to the mail layer's letter limit, and says so; the raw message stays whole.
  if (r.ok) {
    assert.ok(r.body.length > 45_000 && r.body.length <= 50_000, `${r.body.length}`);
    assert.ok(r.warnings.some((w) => /letter text cut to 50,000 characters/.test(w)), r.warnings.join('; '));
  }
  // Beyond the size limit: quarantined without parsing.
  const big = await readInbound(crlf(HEAD + '\n' + text), { maxBytes: 1024 * 1024 });
  assert.equal(big.ok, false);
});

test('one enormous line and a huge header', async () => {
  await settle(crlf(HEAD + 'Content-Type: text/plain\n\n' + 'x'.repeat(3_000_000) + '\n'));
  await settle(crlf('Subject: ' + 'y'.repeat(3_000_000) + '\nFrom: a@b.c\n\nhello\n'));
  await settle(crlf(HEAD + 'Content-Type: text/plain\n\n' + '> '.repeat(200_000) + 'On Mon wrote:\n'.repeat(10_000)));
});

test('hostile HTML never leaks script or handlers into text', async () => {
  const html = '<html><head><script>alert(1)</script><style>p{}</style></head><body onload="x()">' +
    '<p>Dear Editor,</p><p>I disagree.<img src=x onerror="alert(2)"></p><script>evil()</script>' +
    '<a href="javascript:alert(3)">click</a>' + '<blockquote>'.repeat(5000) + 'deep' + '</body></html>';
  const r = await settle(crlf(HEAD + 'Content-Type: text/html; charset=utf-8\n\n' + html));
  assert.ok(r.ok);
  if (r.ok) {
    assert.match(r.body, /I disagree/);
    assert.doesNotMatch(r.original, /alert|evil|javascript:|onerror/);
  }
});

test('a zip-bomb-like .docx attachment is refused by the guard', async () => {
  // 64 MB of zeros deflated to a few tens of kilobytes, streamed so the test never holds 64 MB.
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry = new ZipDeflate('word/document.xml', { level: 9 });
  zip.add(entry);
  const mb = new Uint8Array(1024 * 1024);
  for (let i = 0; i < 64; i++) entry.push(mb, false);
  entry.push(new Uint8Array(0), true);
  zip.end();
  const docx = Buffer.concat(parts);
  assert.ok(docx.length < 1024 * 1024);
  const b64 = docx.toString('base64').replace(/.{76}/g, '$&\n');
  const raw = crlf(HEAD + 'Content-Type: multipart/mixed; boundary="q"\n\n--q\nContent-Type: text/plain\n\nMy letter is attached.\n' +
    '--q\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="letter.docx"\n' +
    'Content-Disposition: attachment; filename="letter.docx"\nContent-Transfer-Encoding: base64\n\n' + b64 + '\n--q--\n');
  const r = await settle(raw);
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.fromAttachment, undefined);
    assert.ok(r.warnings.some((w) => /zip bomb/i.test(w)), r.warnings.join('; '));
  }
});

test('truncated and damaged attachments', async () => {
  const odt = zipSync({ 'content.xml': strToU8('<office:document-content><text:p>Hello</text:p>') });
  const damaged = odt.slice(0, odt.length - 10);
  for (const [name, bytes] of [['a.odt', damaged], ['b.docx', new Uint8Array([1, 2, 3])], ['c.pdf', enc.encode('%PDF-1.4 garbage')]] as const) {
    const b64 = Buffer.from(bytes).toString('base64');
    const raw = crlf(HEAD + `Content-Type: multipart/mixed; boundary="q"\n\n--q\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n\n${b64}\n--q--\n`);
    const r = await settle(raw);
    assert.ok(r.ok);
  }
});

test('parseMessage alone never throws on odd options', async () => {
  const r = await parseMessage(crlf(HEAD + '\nhi\n'), { maxBytes: -1, maxDepth: Number.NaN });
  assert.equal(r.ok, true);
});

test('classic Mac line endings (bare CR) read like CRLF', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const dir = new URL('../fixtures/corpus/mail/', import.meta.url);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml')).slice(0, 10)) {
    const raw = new Uint8Array(readFileSync(new URL(f, dir)));
    const cr = new Uint8Array(raw.filter((b) => b !== 0x0a));
    const [a, b] = [await settle(raw), await settle(cr)];
    assert.ok(a.ok && b.ok, f);
    if (a.ok && b.ok) {
      assert.equal(b.kind, a.kind, f);
      assert.equal(b.subject, a.subject, f);
      assert.equal(b.body, a.body, f);
    }
  }
});
