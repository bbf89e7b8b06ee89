// Overload as issue 14 measured it, on each database: the desk in a process
// of its own (`letterdesk start`'s whole app, proof of work and rate limits
// off, the write queue limit at its default), first unloaded (one writer and
// one desk reader and one SMTP sender, one request at a time), then under 208 writers posting
// letters as fast as they are answered (a refused writer waits as long as
// Retry-After says and sends the same letter again), 32 desk readers (the
// queue, its counts, /healthz), 16 clients declaring 2 MB bodies and 16
// senders of letters by SMTP (told 451, they wait the seconds it says). Both
// phases run in the same process on the same database, so the latencies can
// be set side by side. The load comes from this process, on the same cores.
import os from 'node:os';
import { percentile, rssMiB, runOverload, startDeskProcess, type Answer } from '../test/support/overload.ts';
import type { Row } from './mail.ts';
import { onEachDatabase } from './databases.ts';

const SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 30);
const UNLOADED_SECONDS = Math.max(3, Math.round(SECONDS / 5));

const ms = (v: number) => Math.round(v);
const lat = (as: Answer[]) => `p50 ${ms(percentile(as.map((a) => a.ms), 50))} ms, p99 ${ms(percentile(as.map((a) => a.ms), 99))} ms, max ${ms(Math.max(...as.map((a) => a.ms)))} ms (${as.length})`;

async function measure(label: string, env: Record<string, string>): Promise<Row[]> {
  const desk = await startDeskProcess(env);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMiB(desk.pid);
    const article = 'seed-isi-taliban';
    // One SMTP sender too: it starts the mail workers (the first message loads the mail modules), as on a desk that has been running.
    const calm = await runOverload(desk.url, desk.token, { writers: 1, readers: 1, oversized: 0, durationMs: UNLOADED_SECONDS * 1000, article, smtp: { senders: 1, ...desk.smtp } });
    const load = await runOverload(desk.url, desk.token, { writers: 208, readers: 32, oversized: 16, durationMs: SECONDS * 1000, article, memoryPid: desk.pid, smtp: { senders: 16, ...desk.smtp } });
    const after = rssMiB(desk.pid);
    const calmWrites = calm.writes.filter((w) => w.status === 202);
    const taken = load.writes.filter((w) => w.status === 202);
    const shed = load.writes.filter((w) => w.status === 503);
    const other = load.writes.filter((w) => w.status !== 202 && w.status !== 503);
    const desk200 = (as: Answer[], healthz: boolean) => as.filter((a) => a.status === 200 && (a.path === '/healthz') === healthz);
    const retryAfters = shed.map((s) => Number(s.retryAfter));
    const refusedThenTaken = new Set(shed.map((s) => s.key));
    const tooLarge = load.oversized.filter((o) => o.status === 413);
    return [
      { name: `overload ${label}: unloaded letter`, value: ms(percentile(calmWrites.map((w) => w.ms), 99)), unit: 'ms p99', note: lat(calmWrites) },
      { name: `overload ${label}: unloaded desk read`, value: ms(percentile(desk200(calm.reads, false).map((w) => w.ms), 99)), unit: 'ms p99', note: `${lat(desk200(calm.reads, false))}; /healthz ${lat(desk200(calm.reads, true))}` },
      { name: `overload ${label}: letters acknowledged`, value: Math.round(load.acknowledged.length / SECONDS), unit: 'letters/s', note: `${load.acknowledged.length} in ${SECONDS} s by 208 writers; ${[...refusedThenTaken].filter((k) => load.acknowledged.some((a) => a.key === k)).length} of them after a 503 and the wait; ${other.length} other answers` },
      { name: `overload ${label}: acknowledged letter`, value: ms(percentile(taken.map((w) => w.ms), 99)), unit: 'ms p99', note: lat(taken) },
      { name: `overload ${label}: shed (503 + Retry-After)`, value: shed.length, unit: 'answers', note: shed.length ? `${Math.round((shed.length / load.writes.length) * 100)}% of answers to writers, answered in ${lat(shed)}; Retry-After ${Math.min(...retryAfters)}–${Math.max(...retryAfters)} s` : 'none: the node kept up' },
      { name: `overload ${label}: desk read under load`, value: ms(percentile(desk200(load.reads, false).map((w) => w.ms), 99)), unit: 'ms p99', note: `${lat(desk200(load.reads, false))}; ${load.reads.filter((r) => r.status !== 200).length} not 200` },
      { name: `overload ${label}: /healthz under load`, value: ms(percentile(desk200(load.reads, true).map((w) => w.ms), 99)), unit: 'ms p99', note: lat(desk200(load.reads, true)) },
      { name: `overload ${label}: 2 MB body refused`, value: ms(percentile(tooLarge.map((w) => w.ms), 99)), unit: 'ms p99', note: `${tooLarge.length} × 413 (${load.oversized.length - tooLarge.length} shed with 503), body bytes sent before the answer: at most ${Math.max(0, ...load.oversized.map((o) => o.bytesSent))}` },
      {
        name: `overload ${label}: letters by SMTP taken (250)`,
        value: load.mailTaken.length,
        unit: 'messages',
        note: `unloaded ${lat(calm.mail.filter((m) => m.code === 250).slice(1) as unknown as Answer[])}; under load by 16 senders: 250 ${lat(load.mail.filter((m) => m.code === 250) as unknown as Answer[])}; ${load.mail.filter((m) => m.code === 451).length} × 451 (told when), ${load.mail.filter((m) => m.code !== 250 && m.code !== 451).length} other`,
      },
      { name: `overload ${label}: resident memory`, value: Math.round(load.peakRssMiB), unit: 'MiB peak', note: `idle ${Math.round(idle)} MiB, after ${Math.round(after)} MiB; ${load.errors.length} client errors` },
    ];
  } finally {
    await desk.stop();
  }
}

/** BENCH_DB=sqlite or postgres measures only that database; OVERLOAD_SECONDS sets the loaded phase (30). */
export async function benchOverload(): Promise<Row[]> {
  const rows: Row[] = [{ name: 'machine', value: os.availableParallelism(), unit: 'cores', note: `load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}` }];
  rows.push(...(await onEachDatabase('overload', measure)));
  rows.push({ name: 'machine', value: NaN, unit: '', note: `load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}` });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchOverload()) console.log(r);
}
