// The raw message as stored: whatever its size, what is compressed reads back
// byte for byte (the window sized to the message stays within Brotli's
// bounds, from an empty message to one past the largest window), and mail
// text is stored smaller than it came.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { brotliWindow, COMPRESSION, compressRaw, decompressRaw } from '../../src/inbound/raw.ts';

const line = 'Dear editor, the tram line deserves a second look and here is why in plain words.\r\n';
const text = (bytes: number) => new Uint8Array(Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes), 'latin1'));

test('messages of every size read back as they came', async () => {
  // Empty, one byte, each side of a power of two, past the in-thread limit (32 KiB), and past the largest window (16 MiB).
  const sizes = [0, 1, 1023, 1024, 1025, 1500, 32 * 1024 + 1, 200_000, (1 << 24) + 4096];
  for (const size of sizes) {
    const raw = size === 200_000 ? new Uint8Array(crypto.randomBytes(size)) : text(size);
    const stored = await compressRaw(raw);
    const back = await decompressRaw(COMPRESSION, stored);
    assert.equal(back.byteLength, raw.byteLength, `size ${size}`);
    assert.ok(Buffer.from(raw).equals(back), `size ${size} reads back byte for byte`);
  }
});

test('mail text is stored smaller than it came, large or small', async () => {
  for (const size of [1500, 64_000, 3_000_000]) {
    const stored = await compressRaw(text(size));
    assert.ok(stored.byteLength < size / 4, `a repetitive ${size}-byte message stored in ${stored.byteLength} bytes`);
  }
});

/** The window a Brotli stream says it was written with (RFC 7932, 9.1: WBITS, read from the first bits). */
function streamWindow(stream: Uint8Array): number {
  const b = stream[0]! | (stream[1]! << 8);
  if ((b & 1) === 0) return 16;
  const n = (b >> 1) & 7;
  if (n) return 17 + n;
  const m = (b >> 4) & 7;
  return m ? 8 + m : 17;
}

test('a message is compressed with the window that holds it, not the default', async () => {
  for (const size of [1500, 40_000, 3_000_000]) assert.equal(streamWindow(await compressRaw(text(size))), brotliWindow(size), `size ${size}`);
});

test('the window holds the whole message, within Brotli’s bounds', () => {
  assert.equal(brotliWindow(0), 10);
  assert.equal(brotliWindow(1500), 11);
  assert.equal(brotliWindow(2032), 11);
  assert.equal(brotliWindow(2033), 12);
  assert.equal(brotliWindow(50 << 20), 24);
  for (const n of [1, 999, 4096, 70_000, 9_999_999]) assert.ok(2 ** brotliWindow(n) - 16 >= n || brotliWindow(n) === 24, `window for ${n}`);
});
