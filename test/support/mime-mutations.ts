// Mutations of real messages for the MIME fuzzers (test/email): byte flips,
// truncation, inserted junk, a header line repeated or folded on and on,
// broken boundaries, charsets and transfer encodings, binary noise, bare
// LFs and deep nesting. Each draws from the seeded generator it is given, so
// a failing case is reproduced from its seed.
import fs from 'node:fs';
import { FIXTURES } from './fixtures.ts';

/** The first `perFolder` messages of the mail corpus and of set-of-emails, as seeds to mutate. */
export function seedMessages(perFolder: number): Buffer[] {
  const seeds: Buffer[] = [];
  for (const dir of ['corpus/mail/', 'set-of-emails/']) {
    for (const f of fs.readdirSync(FIXTURES + dir).filter((f) => f.endsWith('.eml')).sort().slice(0, perFolder)) seeds.push(fs.readFileSync(FIXTURES + dir + f));
  }
  return seeds;
}

const int = (r: () => number, n: number) => Math.floor(r() * n);
type Mutate = (b: Buffer, r: () => number) => Buffer;
const mutators: Mutate[] = [
  (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + int(r, 32); i < n && out.length; i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  (b, r) => b.subarray(0, int(r, b.length + 1)),
  (b, r) => {
    const at = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(r, 3000) }, () => int(r, 256))), b.subarray(at)]);
  },
  // a header line repeated, or folded on and on
  (b, r) => {
    const s = b.toString('latin1');
    const end = s.search(/\r?\n\r?\n/);
    const lines = (end < 0 ? s : s.slice(0, end)).split(/\r?\n/);
    const pick = lines[int(r, lines.length)] ?? 'X: y';
    const copies = int(r, 2) ? Array(1 + int(r, 200)).fill(pick) : Array(1 + int(r, 3000)).fill(' more folded text of the header above');
    lines.splice(1 + int(r, lines.length), 0, ...copies);
    return Buffer.from(lines.join('\r\n') + (end < 0 ? '' : s.slice(end)), 'latin1');
  },
  (b, r) => Buffer.from(b.toString('latin1').replace(/boundary="?[^"\r\n;]+"?/i, ['boundary=""', 'boundary="nope"', `boundary="${'b'.repeat(int(r, 2000))}"`][int(r, 3)]!), 'latin1'),
  (b, r) => Buffer.from(b.toString('latin1').replace(/charset="?[\w-]+"?/gi, ['charset=utf-16', 'charset=bogus', 'charset=""', 'charset=utf-7'][int(r, 4)]!), 'latin1'),
  (b, r) => Buffer.from(b.toString('latin1').replace(/content-transfer-encoding:[^\r\n]*/gi, `Content-Transfer-Encoding: ${['base64', 'quoted-printable', 'x-uuencode', 'bogus'][int(r, 4)]}`), 'latin1'),
  (_b, r) => Buffer.from(Array.from({ length: int(r, 6000) }, () => int(r, 256))),
  (b) => Buffer.from(b.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'),
  // nested multiparts
  (b, r) => {
    const depth = 1 + int(r, 80);
    let body = b.toString('latin1');
    for (let i = 0; i < depth; i++) body = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${body}\r\n--n${i}--\r\n`;
    return Buffer.from(`From: a@example.net\r\nMessage-ID: <nest${depth}.${int(r, 1e9)}@example.net>\r\n${body}`, 'latin1');
  },
];

/** One to three mutations of a seed drawn at random. */
export function mutatedMessage(seeds: Buffer[], r: () => number): Buffer {
  let msg = seeds[int(r, seeds.length)]!;
  for (let k = 0, n = 1 + int(r, 3); k < n; k++) msg = mutators[int(r, mutators.length)]!(msg, r);
  return msg;
}
