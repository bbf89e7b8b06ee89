// Randomness for ids and tokens, drawn from a pooled buffer. Node's
// randomBytes and getRandomValues each cost a system call and some
// validation; intake needs about ten random values per letter, and the
// uuidv7 package refills its own buffer every few ids. One 8 KiB pool, from
// the same cryptographic source, costs one call per few hundred letters.
import crypto from 'node:crypto';
import { V7Generator } from 'uuidv7';

const POOL = 8192;
const pool = Buffer.allocUnsafe(POOL);
let cursor = POOL;

/** `n` cryptographically random bytes (a copy: callers may keep them). */
export function randomBytes(n: number): Buffer {
  if (n > POOL / 4) return crypto.randomBytes(n);
  if (cursor + n > POOL) {
    crypto.randomFillSync(pool);
    cursor = 0;
  }
  const out = Buffer.from(pool.subarray(cursor, cursor + n));
  // Spent bytes are overwritten so that they can never be handed out again.
  pool.fill(0, cursor, cursor + n);
  cursor += n;
  return out;
}

const generator = new V7Generator({ nextUint32: () => randomBytes(4).readUInt32LE(0) });

/** A time-ordered UUID (version 7): new rows sort after older ones. */
export function uuidv7(): string {
  return generator.generate().toString();
}
