// End to end, not just intake: letters arrive at a steady 500 a second for a
// minute (open loop: the rate does not slow when the desk does) into
// `letterdesk start`'s whole process, and every letter must be screened
// (article, spam, campaign, policy) and in the queue. Measured: the rate
// taken, the time from each letter's acknowledgement (its 201 at the client)
// to its `screened` event (written in the transaction that stores the
// verdict), and the backlog of unprocessed events through the minute, which
// must not grow, nor the jobs' (acknowledgement mails, placing letters among
// their article's lines of argument). One letter in ten is from one of five campaigns, so the campaign
// index does real work; the letters name one of the sample articles.
// Also what a letter costs in CPU, the desk's process and the database
// server's, until the backlog is done: whether the machine can carry the
// rate at all, whatever the latencies say.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Row } from './mail.ts';
import { onEachDatabase } from './databases.ts';
import { run, startServer } from './intake.ts';
import { letterPool } from './letters.ts';
import { percentile } from './percentile.ts';

const RATE = Number(process.env.BENCH_E2E_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 60);
const AIM_P99_MS = 2000;

/**
 * CPU time used so far, in ms: the whole machine's (every core, every
 * process: os.cpus(), which on Linux leaves out softirq time, so loopback
 * networking is partly missing), the desk's process, and this one (the load generator).
 */
type CpuNow = { machine: number; desk: number; bench: number };
async function cpuNow(url: string): Promise<CpuNow> {
  const desk = ((await (await fetch(`${url}/bench/cpu`)).json()) as { ms: number }).ms;
  const u = process.cpuUsage();
  return { machine: os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0), desk, bench: (u.user + u.system) / 1000 };
}

/**
 * What a letter cost in CPU, from the load's start to the backlog's end (so
 * that screening and jobs done after the load count too): the desk's
 * process, the rest of the machine without the load generator (the database
 * server, the OS), and the cores the two need at the aim's rate.
 */
function cpuRow(label: string, from: CpuNow, to: CpuNow, letters: number, left: { events: number; jobs: number }): Row {
  const per = (ms: number) => ms / Math.max(1, letters);
  const desk = per(to.desk - from.desk);
  const served = per(to.machine - from.machine - (to.bench - from.bench));
  return {
    name: `end to end ${label}: CPU a letter, desk and database`,
    value: Math.round(served * 100) / 100,
    unit: 'ms',
    note: `the desk's process ${desk.toFixed(2)} ms, the rest of the machine but the load generator (the database server, the OS) ${(served - desk).toFixed(2)} ms; at ${RATE} letters a second that is ${((served * RATE) / 1000).toFixed(2)} of the machine's ${os.cpus().length} cores${left.events || left.jobs ? ` (without the work of the ${left.events} events and ${left.jobs} jobs still due a minute after the load)` : ''}`,
  };
}


async function measure(label: string, env: Record<string, string>): Promise<Row[]> {
  // Letters go straight to the queue, as on a desk that does not ask writers to confirm their address.
  const { url, child, left } = await startServer({ ...env, BENCH_POLICIES: JSON.stringify({ requireConfirmation: false }) });
  const pool = letterPool(Math.ceil(RATE * SECONDS * 1.1));
  const ackedAt = new Map<string, number>();
  const backlog: number[] = [];
  const jobBacklog: number[] = [];
  let failed = 0;
  let n = 0;
  const sampler = setInterval(() => {
    void fetch(`${url}/bench/backlog`)
      .then((r) => r.json())
      .then(
        (b: { events: number; jobs: number }) => {
          backlog.push(b.events);
          jobBacklog.push(b.jobs);
        },
        () => {},
      );
  }, 5000);
  let rows: Row[] = [];
  try {
    const started = Date.now();
    const cpuFrom = await cpuNow(url);
    const load = await run({
      url: `${url}/api/v1/letters`,
      connections: 128,
      overallRate: RATE,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = n++;
            const l = pool[i % pool.length]!;
            return {
              ...req,
              headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${i}-${crypto.randomUUID()}` },
              body: JSON.stringify({ ...l, email: `e2e-${i}@example.com`, town: 'Benchville', consent: true }),
            };
          },
          onResponse: (status, body) => {
            if (status >= 200 && status < 300) ackedAt.set((JSON.parse(body) as { id: string }).id, Date.now());
            else {
              failed++;
              if (failed < 3) console.error(status, body.slice(0, 200));
            }
          },
        },
      ],
    });
    const loadSeconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    // Then wait for the backlog to clear, events and jobs (at most a minute), and read when each letter was screened.
    const drainStart = Date.now();
    let after = { events: 0, jobs: 0 };
    for (;;) {
      after = (await (await fetch(`${url}/bench/backlog`)).json()) as { events: number; jobs: number };
      if ((after.events === 0 && after.jobs === 0) || Date.now() - drainStart > 60_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const cpuTo = await cpuNow(url);
    const seen = (await (await fetch(`${url}/bench/screened`)).json()) as { at: Record<string, number>; statuses: Record<string, number> };
    const delays: number[] = [];
    let unscreened = 0;
    for (const [id, acked] of ackedAt) {
      const at = seen.at[id];
      if (at === undefined) unscreened++;
      else delays.push(Math.max(0, at - acked));
    }
    delays.sort((a, b) => a - b);
    const rate = ackedAt.size / loadSeconds;
    const growing = (b: number[]) => b.length >= 4 && b.slice(-3).every((v, i, a) => i === 0 || v > a[i - 1]!) && b.at(-1)! > 2 * RATE;
    rows = [
      { name: `end to end ${label}: letters/s taken`, value: Math.round(rate), unit: 'letters/s', note: `aim ${RATE} for ${SECONDS} s; ${ackedAt.size} acknowledged, ${failed} refused or failed, client p99 ${load.latency.p99} ms` },
      { name: `end to end ${label}: acknowledged → screened p50`, value: Math.round(percentile(delays, 50)), unit: 'ms' },
      { name: `end to end ${label}: acknowledged → screened p99`, value: Math.round(percentile(delays, 99)), unit: 'ms', note: `aim ≤ ${AIM_P99_MS} ms; ${unscreened} of ${ackedAt.size} not screened ${drainSeconds.toFixed(1)} s after the load` },
      { name: `end to end ${label}: event backlog every 5 s`, value: backlog.at(-1) ?? NaN, unit: 'events', note: `${backlog.join(' ') || 'none read'}${growing(backlog) ? ' (growing)' : ''}; letters by status: ${Object.entries(seen.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}` },
      { name: `end to end ${label}: job backlog every 5 s`, value: jobBacklog.at(-1) ?? NaN, unit: 'jobs', note: `${jobBacklog.join(' ') || 'none read'}${growing(jobBacklog) ? ' (growing)' : ''}; acknowledgement mails and placements` },
      cpuRow(label, cpuFrom, cpuTo, ackedAt.size, after),
    ];
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
  }
  rows.push({ name: `end to end ${label}: background work left at the end`, value: NaN, unit: '', note: await left });
  return rows;
}

/** BENCH_DB=sqlite or postgres measures only that database. */
export function benchEndToEnd(): Promise<Row[]> {
  return onEachDatabase('end to end', measure);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEndToEnd()) console.log(r);
}
