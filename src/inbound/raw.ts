// The raw message as stored: Brotli-compressed bytes (quality 5: most of the
// gain for a fraction of the time of the default 11) and its SHA-256. The
// window is sized to the message: Brotli's default 4 MiB window costs a
// message of a few KiB more to set up than to compress (0.26 ms a message
// of the fixture corpus against 0.10, the same ratio).
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const unbrotli = promisify(zlib.brotliDecompress);
const gunzip = promisify(zlib.gunzip);

export const COMPRESSION = 'br';
/** Stored as it came (the SMTP spool, until the message is read). */
export const UNCOMPRESSED = 'none';

export function sha256(raw: Uint8Array): string {
  return crypto.createHash('sha256').update(raw).digest('hex');
}

/** The smallest window (log2 of its bytes; Brotli keeps 16 bytes of it) that holds the whole message, within Brotli's bounds (10 to 24). */
export function brotliWindow(bytes: number): number {
  const { BROTLI_MIN_WINDOW_BITS: min, BROTLI_MAX_WINDOW_BITS: max } = zlib.constants;
  return Math.max(min, Math.min(max, Math.ceil(Math.log2(bytes + 16))));
}

const brotliParams = (raw: Uint8Array) => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
    [zlib.constants.BROTLI_PARAM_LGWIN]: brotliWindow(raw.byteLength),
  },
});

/** Up to this size a message is compressed at once, on the calling thread: about 0.1 ms for a few KiB, where the thread pool's round trip costs more than the work. */
const COMPRESS_HERE_BYTES = 32 * 1024;

export async function compressRaw(raw: Uint8Array): Promise<Uint8Array> {
  if (raw.byteLength <= COMPRESS_HERE_BYTES) return zlib.brotliCompressSync(raw, brotliParams(raw));
  return brotli(raw, brotliParams(raw));
}


/** Stands for raw mail that the retention policy removed (RETAIN_RAW_MAIL_DAYS): the row stays, its bytes are gone. */
export const RAW_PRUNED = 'pruned';

export class RawMailGone extends Error {
  constructor() {
    super('The raw message is no longer kept: the retention policy removed it (RETAIN_RAW_MAIL_DAYS). The letter keeps its text.');
  }
}

export async function decompressRaw(compression: string, stored: Uint8Array): Promise<Buffer> {
  if (compression === RAW_PRUNED) throw new RawMailGone();
  const buf = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (compression === 'br') return unbrotli(buf);
  if (compression === 'gzip') return gunzip(buf);
  if (compression === UNCOMPRESSED) return buf;
  throw new Error(`unknown compression "${compression}"`);
}
