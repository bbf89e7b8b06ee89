// The header block is measured before anything parses it (8,192 characters
// a line, past RFC 5322's 998 for senders, as real systems send longer;
// 100 KiB a field unfolded; 256 KiB in all): at each
// limit a message is read, one past it is quarantined with the reason, and
// quarantining costs next to nothing however large the header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LIMITS, headerLimitBreach, readInbound } from '../../src/mail/index.ts';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const TAIL = 'From: Pat <pat@example.net>\r\nTo: letters@review.example.com\r\nMessage-ID: <x@example.net>\r\n\r\nDear editor, the council should publish its minutes.\r\n';

const L = DEFAULT_LIMITS.maxHeaderLineChars;

test('a header line at the limit is read (and one past RFC 5322\'s 998, as GMX sends); one over it is quarantined, naming the header', async () => {
  const at = (n: number) => enc(`Subject: ${'s'.repeat(n - 'Subject: '.length)}\r\n${TAIL}`);
  assert.equal((await readInbound(at(1242))).ok, true);
  assert.equal(headerLimitBreach(at(L), DEFAULT_LIMITS), null);
  assert.equal((await readInbound(at(L))).ok, true);
  const r = await readInbound(at(L + 1));
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, new RegExp(`header line 1 \\(the Subject header\\) is ${(L + 1).toLocaleString('en')} characters long; the most this desk reads is ${L.toLocaleString('en')}`));
  // LF alone ends a line too, and CR before it is not counted.
  assert.equal(headerLimitBreach(enc(`Subject: ${'s'.repeat(L - 9)}\n\n`), DEFAULT_LIMITS), null);
  assert.match(headerLimitBreach(enc(`Subject: ${'s'.repeat(L - 8)}\n\n`), DEFAULT_LIMITS) ?? '', new RegExp(`${(L + 1).toLocaleString('en')} characters`));
});

test('a field folded to 100 KiB is read; past it, quarantined with the field’s name', async () => {
  /** A Subject whose lines add up to exactly `bytes` once unfolded. */
  const folded = (bytes: number, lead = ' ') => {
    const line = `${lead}${'w'.repeat(77)}`;
    const k = Math.floor((bytes - 'Subject: x'.length) / line.length);
    const head = `Subject: x${'y'.repeat(bytes - 'Subject: x'.length - k * line.length)}`;
    return enc(`${[head, ...Array(k).fill(line)].join('\r\n')}\r\n${TAIL}`);
  };
  assert.equal(headerLimitBreach(folded(100 * 1024), DEFAULT_LIMITS), null);
  assert.equal((await readInbound(folded(100 * 1024))).ok, true);
  assert.match(headerLimitBreach(folded(100 * 1024 + 1), DEFAULT_LIMITS) ?? '', /the Subject header is folded over [\d,]+ lines and more than 102,400 bytes/);
  // Lines that lost their folding whitespace still belong to the field above (as the parser reads them).
  assert.match(headerLimitBreach(folded(200 * 1024, '\t'), DEFAULT_LIMITS) ?? '', /Subject header is folded/);
  assert.match(headerLimitBreach(folded(200 * 1024, ''), DEFAULT_LIMITS) ?? '', /Subject header is folded/);
});

test('a header block of 256 KiB is read; past it, or with no end within it, quarantined', async () => {
  const fields = (bytes: number) => {
    const out: string[] = [];
    let n = TAIL.indexOf('\r\n\r\n') + 4;
    for (let i = 0; n < bytes; i++) {
      const f = `X-Note-${i}: ${'n'.repeat(Math.max(0, Math.min(60, bytes - n - 12 - String(i).length)))}\r\n`;
      out.push(f);
      n += f.length;
    }
    return enc(out.join('') + TAIL);
  };
  const exact = fields(256 * 1024);
  assert.ok(exact.length - TAIL.length + TAIL.indexOf('\r\n\r\n') + 4 <= 256 * 1024 + 80);
  assert.equal(headerLimitBreach(fields(250 * 1024), DEFAULT_LIMITS), null);
  assert.match(headerLimitBreach(fields(300 * 1024), DEFAULT_LIMITS) ?? '', /header block is larger than 262,144 bytes/);
  // No blank line at all: the whole message is its header.
  assert.match(headerLimitBreach(enc('X: y\r\n'.repeat(60_000)), DEFAULT_LIMITS) ?? '', /header block is larger/);
});

test('a folded header of megabytes is quarantined by the limits, before any parsing', async () => {
  for (const mb of [2, 8]) {
    const lines = Math.ceil((mb * 1024 * 1024) / 80);
    const raw = enc(`Subject: x${'\r\n lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor'.repeat(lines)}\r\n${TAIL}`);
    const r = await readInbound(raw, { maxBytes: 20 * 1024 * 1024 });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /the Subject header is folded over [\d,]+ lines/);
  }
});

test('property: any header block within every limit passes the check, and one line over the limit never does', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
  const value = fc.string({ unit: fc.constantFrom(...'abc xyz;=<>@.,'.split('')), maxLength: 200 });
  const field = fc.tuple(name, fc.array(value, { minLength: 1, maxLength: 4 })).map(([n, vs]) => `${n}: ${vs.join('\r\n ')}`);
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 40 }), fc.nat(39), fc.integer({ min: L + 1, max: L + 5000 }), (fs, at, long) => {
      const ok = `${fs.join('\r\n')}\r\n\r\nbody\r\n`;
      assert.equal(headerLimitBreach(enc(ok), DEFAULT_LIMITS), null);
      const broken = [...fs];
      broken.splice(at % broken.length, 0, `X-Long: ${'l'.repeat(long - 8)}`);
      assert.match(headerLimitBreach(enc(`${broken.join('\r\n')}\r\n\r\nbody\r\n`), DEFAULT_LIMITS) ?? '', /the most this desk reads is 8,192/);
    }),
    { seed: 20261130, numRuns: 300 },
  );
});
