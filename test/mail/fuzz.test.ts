// Fuzz: mutate the fixture messages (byte flips, truncation, header duplication,
// boundary damage, charset and encoding swaps, junk insertion, line-ending changes)
// with a fixed seed, and check that every case ends ok:true or ok:false with a
// reason — never a throw, never a hang. Reproducible: FUZZ_SEED and FUZZ_CASES
// override the defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readInbound } from '../../src/mail/index.ts';
import { rng } from '../support/random.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20101029);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);


const seeds: Uint8Array[] = [];
for (const sub of ['corpus/mail/', 'set-of-emails/']) {
  const dir = new URL(`../fixtures/${sub}`, import.meta.url);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) seeds.push(new Uint8Array(readFileSync(new URL(f, dir))));
}

const latin1 = new TextDecoder('latin1');
const toBytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const CHARSETS = ['utf-8', 'iso-8859-1', 'windows-1252', 'x-unknown', 'utf-16', 'iso-2022-jp', 'koi8-r', 'gb2312', 'bogus', '', '"'];

type Mutator = (b: Uint8Array, r: () => number) => Uint8Array;
const int = (r: () => number, n: number) => Math.floor(r() * n);

const mutators: Record<string, Mutator> = {
  flip(b, r) {
    const out = b.slice();
    const n = 1 + int(r, 16);
    for (let i = 0; i < n && out.length; i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  truncate(b, r) {
    return b.slice(0, int(r, b.length + 1));
  },
  duplicateHeader(b, r) {
    const s = latin1.decode(b);
    const end = s.search(/\r?\n\r?\n/);
    const head = end < 0 ? s : s.slice(0, end);
    const lines = head.split(/\r?\n/);
    const pick = lines[int(r, lines.length)] ?? '';
    const times = 1 + int(r, 50);
    lines.splice(int(r, lines.length + 1), 0, ...Array(times).fill(pick));
    return toBytes(lines.join('\r\n') + (end < 0 ? '' : s.slice(end)));
  },
  damageBoundary(b, r) {
    const s = latin1.decode(b);
    const m = /boundary="?([^";\r\n]+)"?/i.exec(s);
    if (!m) return mutators.flip!(b, r);
    const boundary = m[1]!;
    const choice = int(r, 4);
    if (choice === 0) return toBytes(s.split('--' + boundary).join('--' + boundary.slice(0, -1))); // every line wrong
    if (choice === 1) return toBytes(s.replace(new RegExp(`--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}--`, 'g'), '')); // no closing line
    if (choice === 2) return toBytes(s.replace(/boundary="?[^";\r\n]+"?/i, 'boundary=""'));
    return toBytes(s.split('--' + boundary).join(int(r, 2) ? '--' : '--' + boundary + '--')); // stray markers
  },
  swapCharset(b, r) {
    const s = latin1.decode(b);
    return toBytes(s.replace(/charset="?[^";\s]*"?/gi, () => `charset=${CHARSETS[int(r, CHARSETS.length)]}`));
  },
  swapEncoding(b, r) {
    const s = latin1.decode(b);
    const encs = ['base64', 'quoted-printable', '7bit', '8bit', 'binary', 'x-uuencode', 'bogus'];
    return toBytes(s.replace(/content-transfer-encoding:\s*[^\r\n]+/gi, () => `Content-Transfer-Encoding: ${encs[int(r, encs.length)]}`));
  },
  insertJunk(b, r) {
    const at = int(r, b.length + 1);
    const junk = new Uint8Array(1 + int(r, 2000)).map(() => int(r, 256));
    const out = new Uint8Array(b.length + junk.length);
    out.set(b.subarray(0, at));
    out.set(junk, at);
    out.set(b.subarray(at), at + junk.length);
    return out;
  },
  lineEndings(b, r) {
    const s = latin1.decode(b);
    const c = int(r, 3);
    return toBytes(c === 0 ? s.replace(/\r\n/g, '\n') : c === 1 ? s.replace(/\r?\n/g, '\r') : s.replace(/\r?\n/g, '\r\r\n'));
  },
  nest(b, r) {
    const depth = 1 + int(r, 80);
    let pre = '';
    let post = '';
    for (let i = 0; i < depth; i++) {
      pre += `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n`;
      post = `\r\n--n${i}--\r\n` + post;
    }
    return toBytes('From: fuzz@example.org\r\nMIME-Version: 1.0\r\n' + pre + latin1.decode(b) + post);
  },
};
const names = Object.keys(mutators);

test(`fuzz: ${CASES} mutated messages end ok or quarantined (seed ${SEED})`, { timeout: 120_000 }, async (t) => {
  const r = rng(SEED);
  const started = Date.now();
  let ok = 0;
  let quarantined = 0;
  let slowest = 0;
  const failures: string[] = [];
  for (let i = 0; i < CASES; i++) {
    let b = seeds[int(r, seeds.length)]!;
    const steps = 1 + int(r, 3);
    const applied: string[] = [];
    for (let k = 0; k < steps; k++) {
      const name = names[int(r, names.length)]!;
      applied.push(name);
      b = mutators[name]!(b, r);
    }
    const t0 = Date.now();
    let res;
    try {
      res = await readInbound(b);
    } catch (err) {
      failures.push(`case ${i} (${applied.join('+')}): threw ${String(err)}`);
      continue;
    }
    slowest = Math.max(slowest, Date.now() - t0);
    if (res.ok) ok++;
    else if (typeof res.reason === 'string' && res.reason.length > 0) quarantined++;
    else failures.push(`case ${i} (${applied.join('+')}): quarantine without a reason`);
  }
  const seconds = (Date.now() - started) / 1000;
  const line = `fuzz: ${CASES} cases in ${seconds.toFixed(1)} s — ${ok} ok, ${quarantined} quarantined, slowest ${slowest} ms`;
  t.diagnostic(line);
  console.log(line);
  assert.deepEqual(failures, []);
  assert.equal(ok + quarantined, CASES);
  assert.ok(slowest < 5000, `slowest case took ${slowest} ms`);
});
