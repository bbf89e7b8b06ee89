// The header block is measured before anything parses it (RFC 5322 §2.1.1's
// 998 characters a line; 100 KiB a field unfolded; 256 KiB in all): at each
// limit a message is read, one past it is quarantined with the reason, and
// quarantining costs next to nothing however large the header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LIMITS, headerLimitBreach, readInbound } from '../../src/mail/index.ts';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const TAIL = 'From: Pat <pat@example.net>\r\nTo: letters@review.example.com\r\nMessage-ID: <x@example.net>\r\n\r\nDear editor, the council should publish its minutes.\r\n';

test('a line of 998 characters is read; 999 is quarantined, naming the header and the RFC', async () => {
  const at = (n: number) => enc(`Subject: ${'s'.repeat(n - 'Subject: '.length)}\r\n${TAIL}`);
  assert.equal(headerLimitBreach(at(998), DEFAULT_LIMITS), null);
  assert.equal((await readInbound(at(998))).ok, true);
  const r = await readInbound(at(999));
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /header line 1 \(the Subject header\) is 999 characters long; RFC 5322 allows 998/);
  // LF alone ends a line too, and CR before it is not counted.
  assert.equal(headerLimitBreach(enc(`Subject: ${'s'.repeat(989)}\n\n`), DEFAULT_LIMITS), null);
  assert.match(headerLimitBreach(enc(`Subject: ${'s'.repeat(990)}\n\n`), DEFAULT_LIMITS) ?? '', /999 characters/);
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

test('quarantining by the limits takes milliseconds at any size (nothing is parsed)', async () => {
  for (const mb of [2, 8]) {
    const lines = Math.ceil((mb * 1024 * 1024) / 80);
    const raw = enc(`Subject: x${'\r\n lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor'.repeat(lines)}\r\n${TAIL}`);
    const t = performance.now();
    const r = await readInbound(raw, { maxBytes: 20 * 1024 * 1024 });
    const ms = performance.now() - t;
    assert.equal(r.ok, false);
    assert.ok(ms < 200, `${mb} MB folded header quarantined in ${ms.toFixed(1)} ms`);
  }
});

test('property: any header block within every limit passes the check, and one line over 998 never does', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
  const value = fc.string({ unit: fc.constantFrom(...'abc xyz;=<>@.,'.split('')), maxLength: 200 });
  const field = fc.tuple(name, fc.array(value, { minLength: 1, maxLength: 4 })).map(([n, vs]) => `${n}: ${vs.join('\r\n ')}`);
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 40 }), fc.nat(39), fc.integer({ min: 999, max: 5000 }), (fs, at, long) => {
      const ok = `${fs.join('\r\n')}\r\n\r\nbody\r\n`;
      assert.equal(headerLimitBreach(enc(ok), DEFAULT_LIMITS), null);
      const broken = [...fs];
      broken.splice(at % broken.length, 0, `X-Long: ${'l'.repeat(long - 8)}`);
      assert.match(headerLimitBreach(enc(`${broken.join('\r\n')}\r\n\r\nbody\r\n`), DEFAULT_LIMITS) ?? '', /RFC 5322 allows 998/);
    }),
    { seed: 20261130, numRuns: 300 },
  );
});
