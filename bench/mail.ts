// Mail-layer throughput on the fixture corpus: parse-and-extract (readInbound:
// postal-mime + classification + reply trimming + letter extraction) beside bare
// postal-mime on the same messages, as the reference. Run alone with
//   node bench/mail.ts
import { readFileSync, readdirSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { readInbound } from '../src/mail/index.ts';

export type Row = { name: string; value: number; unit: string; note?: string };

function load(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const sub of ['corpus/mail/', 'set-of-emails/']) {
    const dir = new URL(`../test/fixtures/${sub}`, import.meta.url);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) out.push(new Uint8Array(readFileSync(new URL(f, dir))));
  }
  return out;
}

async function rate(messages: Uint8Array[], minMs: number, fn: (m: Uint8Array) => Promise<unknown>): Promise<number> {
  for (const m of messages) await fn(m); // warm-up
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const m of messages) await fn(m);
    count += messages.length;
    elapsed = performance.now() - started;
  } while (elapsed < minMs);
  return (count / elapsed) * 1000;
}

export async function benchMail(minMs = 2000): Promise<Row[]> {
  const messages = load();
  const bytes = messages.reduce((n, m) => n + m.length, 0);
  const note = `${messages.length} fixture messages (corpus + set-of-emails), ${(bytes / 1024).toFixed(0)} KiB`;
  const bare = await rate(messages, minMs, (m) => PostalMime.parse(m, { attachmentEncoding: 'arraybuffer' }));
  const full = await rate(messages, minMs, (m) => readInbound(m));
  return [
    { name: 'mail: bare postal-mime parse (reference)', value: Math.round(bare), unit: 'messages/s', note },
    { name: 'mail: parse + classify + extract (readInbound)', value: Math.round(full), unit: 'messages/s', note: `${((full / bare) * 100).toFixed(0)}% of bare postal-mime` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchMail()) console.log(`${row.name}: ${row.value} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
}
