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

/** One pass over the corpus: its wall time and this thread's CPU time, in ms. */
async function pass(messages: Uint8Array[], fn: (m: Uint8Array) => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpu = process.threadCpuUsage();
  for (const m of messages) await fn(m);
  const used = process.threadCpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

/**
 * The two are timed in alternating passes over the corpus, so that the
 * machine's drift (it is shared) falls on both alike. The share is the median
 * of the pairs' ratios of this thread's CPU time: wall time also counts the
 * moments the thread waited for a core, which on a shared machine swing more
 * than the work itself.
 */
export async function benchMail(minMs = 3000): Promise<Row[]> {
  const messages = load();
  const bytes = messages.reduce((n, m) => n + m.length, 0);
  const note = `${messages.length} fixture messages (corpus + set-of-emails), ${(bytes / 1024).toFixed(0)} KiB`;
  const bare = (m: Uint8Array) => PostalMime.parse(m, { attachmentEncoding: 'arraybuffer' });
  const full = (m: Uint8Array) => readInbound(m);
  await pass(messages, bare); // warm-up
  await pass(messages, full);
  let bareMs = 0;
  let fullMs = 0;
  const shares: number[] = [];
  while (bareMs + fullMs < 2 * minMs || shares.length < 5) {
    const b = await pass(messages, bare);
    const f = await pass(messages, full);
    bareMs += b.wall;
    fullMs += f.wall;
    shares.push(b.cpu / f.cpu);
  }
  shares.sort((x, y) => x - y);
  const share = shares[Math.floor(shares.length / 2)]!;
  const rate = (ms: number) => Math.round((messages.length * shares.length * 1000) / ms);
  return [
    { name: 'mail: bare postal-mime parse (reference)', value: rate(bareMs), unit: 'messages/s', note },
    { name: 'mail: parse + classify + extract (readInbound)', value: rate(fullMs), unit: 'messages/s', note },
    {
      name: 'mail: parse-and-extract / bare postal-mime',
      value: Math.round(share * 100),
      unit: '%',
      note: `median of ${shares.length} alternating passes, by CPU time (${shares.map((x) => Math.round(x * 100)).join(' ')}); aim: at least 80%`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchMail()) console.log(`${row.name}: ${row.value} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
}
