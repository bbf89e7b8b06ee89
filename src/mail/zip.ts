// A guarded reader for the ZIP containers of .docx and .odt files.
//
// The central directory is parsed here (a few fixed-offset fields) and entries are
// inflated with fflate's streaming Inflate in small input chunks, counting output
// bytes as they appear. Declared sizes are not trusted: a zip bomb is stopped when
// the real output passes the limit, before it is held in memory.

import { Inflate } from 'fflate';

export type ZipEntry = { name: string; method: number; compressedSize: number; offset: number };

export class ZipLimitError extends Error {}

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Lists the entries of a ZIP archive, or null when it is not one (or is damaged). */
export function zipEntries(buf: Uint8Array, maxEntries = 5000): ZipEntry[] | null {
  if (buf.length < 22) return null;
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0 && i >= buf.length - 65557; i--) {
    if (u32(buf, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const total = u16(buf, eocd + 10);
  let p = u32(buf, eocd + 16);
  if (total > maxEntries) return null;
  const dec = new TextDecoder('utf-8');
  const out: ZipEntry[] = [];
  for (let n = 0; n < total; n++) {
    if (p + 46 > buf.length || u32(buf, p) !== 0x02014b50) return null;
    const method = u16(buf, p + 10);
    const compressedSize = u32(buf, p + 20);
    const nameLen = u16(buf, p + 28);
    const extraLen = u16(buf, p + 30);
    const commentLen = u16(buf, p + 32);
    const local = u32(buf, p + 42);
    if (p + 46 + nameLen > buf.length) return null;
    const name = dec.decode(buf.subarray(p + 46, p + 46 + nameLen));
    if (local + 30 > buf.length || u32(buf, local) !== 0x04034b50) return null;
    const offset = local + 30 + u16(buf, local + 26) + u16(buf, local + 28);
    if (offset + compressedSize > buf.length) return null;
    out.push({ name, method, compressedSize, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Inflates one entry; throws ZipLimitError when the output would pass maxBytes. */
export function readZipEntry(buf: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  const data = buf.subarray(entry.offset, entry.offset + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw new ZipLimitError(`${entry.name} larger than ${maxBytes} bytes`);
    return data;
  }
  if (entry.method !== 8) throw new Error(`unsupported zip compression method ${entry.method}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflate = new Inflate();
  inflate.ondata = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > maxBytes) throw new ZipLimitError(`${entry.name} expands beyond ${maxBytes} bytes`);
    chunks.push(chunk);
  };
  // Small input chunks bound the output of any single step (deflate expands ≤ ~1032×).
  const STEP = 1024;
  for (let o = 0; o < data.length; o += STEP) {
    const end = Math.min(o + STEP, data.length);
    inflate.push(data.subarray(o, end), end === data.length);
  }
  if (data.length === 0) inflate.push(new Uint8Array(0), true);
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Total inflated size of all entries, stopping (ZipLimitError) once past maxBytes. */
export function checkZipBomb(buf: Uint8Array, entries: ZipEntry[], maxBytes: number): number {
  let total = 0;
  for (const e of entries) {
    total += readZipEntry(buf, e, Math.max(0, maxBytes - total)).length;
  }
  return total;
}
