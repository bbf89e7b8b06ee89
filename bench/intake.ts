// Durable letters per second over HTTP (POST /api/v1/letters, each answer
// given only after the letter is committed and the log is on disk: SQLite's
// group commit followed by a WAL fsync, as durable as synchronous=FULL, or
// PostgreSQL's own commit), with p50/p99 latency, beside a no-op route on the
// same server as the ceiling; once with 64 clients and once with 256 (the
// node's capacity), each letter a text of its own (one in ten from a
// campaign: bench/letters.ts). The server is `letterdesk start`'s whole process: the
// event processors (screening, acknowledgements) and jobs run meanwhile. The load comes from
// autocannon in this process; the server runs in a child process. Both share
// the machine's two cores, as a real load generator on the same host would.
// Then once more at 64 connections with the background stopped: the door
// alone, to show what screening and the rest cost it on each database.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import type { Row } from './mail.ts';
import { onEachDatabase } from './databases.ts';
import { letterPool, type BenchLetter } from './letters.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 64;
const CAPACITY_CONNECTIONS = 256;

export async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; left: Promise<string> }> {
  const child = spawn(process.execPath, [path.resolve('bench/intake-server.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (c) => reject(new Error(`bench server exited ${c}`)));
  });
  const left = new Promise<string>((resolve) => child.on('exit', () => resolve(/LEFT (.*)/.exec(out)?.[1] ?? 'not reported')));
  return { url, child, left };
}

export function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

/**
 * The letters sent, one text each (bench/letters.ts), the same for each
 * database: each database's runs take them from the start, in order (made
 * once, before the first database's clock starts). Past the end they are
 * sent again (a machine several times this one's speed).
 */
const POOL = 60_000;
let pool: BenchLetter[] | null = null;
let next = 0;
const benchLetters = () => (pool ??= letterPool(POOL));

/**
 * Closed-loop load: each connection sends its next letter when the last is
 * answered. `tag` names the run in the writers' addresses: each run's
 * letters come from writers new to the desk.
 */
function sendLetters(url: string, connections: number, tag = `${connections}`): Promise<autocannon.Result> {
  const letters = benchLetters();
  let n = 0;
  return run({
    url: `${url}/api/v1/letters`,
    connections,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = n++;
          const l = letters[next++ % letters.length]!;
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${tag}-${i}-${crypto.randomUUID()}` },
            body: JSON.stringify({ article: l.article, name: l.name, email: `bench${tag}-${i}@example.com`, town: 'Benchville', body: l.body, consent: true }),
          };
        },
      },
    ],
  });
}

async function measure(label: string, env: Record<string, string>): Promise<Row[]> {
  benchLetters();
  next = 0;
  const { url, child, left } = await startServer(env);
  const rows: Row[] = [];
  try {
    const letters = await sendLetters(url, CONNECTIONS);
    // With more clients than a commit holds, the rate shows what the node can
    // take rather than what 64 clients waiting on each answer make it do.
    const capacity = await sendLetters(url, CAPACITY_CONNECTIONS);
    const noop = await run({ url: `${url}/bench/noop`, method: 'POST', connections: CONNECTIONS, duration: Math.max(3, DURATION_S / 2), headers: { 'content-type': 'application/json' }, body: '{}' });
    const ok = letters['2xx'];
    const rate = ok / letters.duration;
    const capacityRate = capacity['2xx'] / capacity.duration;
    const noopRate = noop['2xx'] / noop.duration;
    rows.push(
      { name: `intake ${label}: durable letters/s`, value: Math.round(rate), unit: 'letters/s', note: `${ok} letters in ${letters.duration.toFixed(1)} s, ${letters.non2xx} non-2xx, ${CONNECTIONS} connections` },
      { name: `intake ${label}: latency p50`, value: letters.latency.p50, unit: 'ms' },
      { name: `intake ${label}: latency p99`, value: letters.latency.p99, unit: 'ms' },
      { name: `intake ${label}: durable letters/s, ${CAPACITY_CONNECTIONS} connections`, value: Math.round(capacityRate), unit: 'letters/s', note: `p50 ${capacity.latency.p50} ms, p99 ${capacity.latency.p99} ms, ${capacity.non2xx} non-2xx` },
      { name: `no-op route (${label} server): requests/s`, value: Math.round(noopRate), unit: 'req/s', note: `p50 ${noop.latency.p50} ms, p99 ${noop.latency.p99} ms` },
      { name: `intake ${label}: share of the no-op ceiling`, value: Math.round((rate / noopRate) * 100), unit: '%', note: `${Math.round((capacityRate / noopRate) * 100)}% at ${CAPACITY_CONNECTIONS} connections` },
    );
  } finally {
    child.kill('SIGTERM');
  }
  // The whole process ran meanwhile: what the event processors and jobs had not yet done when it stopped.
  rows.push({ name: `intake ${label}: background work left at the end`, value: NaN, unit: '', note: await left });
  // The same door with the background stopped (on the same database, after the runs above, with writers of
  // its own): what screening, acknowledgements and the rest cost intake when they share the machine (and, on
  // PostgreSQL, the server). Measured last, on a warmer and larger database: a bound, not an exact cost.
  const quiet = await startServer({ ...env, BENCH_BACKGROUND: 'off' });
  try {
    const letters = await sendLetters(quiet.url, CONNECTIONS, `${CONNECTIONS}-quiet`);
    rows.push({ name: `intake ${label}, background stopped: durable letters/s`, value: Math.round(letters['2xx'] / letters.duration), unit: 'letters/s', note: `${letters['2xx']} letters, ${letters.non2xx} non-2xx, ${CONNECTIONS} connections; what the event processors and jobs cost the door` });
  } finally {
    quiet.child.kill('SIGTERM');
    await quiet.left;
  }
  return rows;
}

/** BENCH_DB=sqlite or postgres measures only that database. */
export async function benchIntake(): Promise<Row[]> {
  const rows = await onEachDatabase('intake', measure);
  // The aim: PostgreSQL takes at least half the embedded database's durable letters a second, same run, same guarantee.
  const value = (name: string) => rows.find((r) => r.name === name)?.value;
  const rate = (db: string, suffix = '') => value(`intake ${db}: durable letters/s${suffix}`);
  for (const suffix of ['', `, ${CAPACITY_CONNECTIONS} connections`]) {
    const lite = rate('SQLite', suffix);
    const pg = rate('PostgreSQL', suffix);
    if (lite && pg) rows.push({ name: `intake PostgreSQL: share of SQLite's durable letters/s${suffix || `, ${CONNECTIONS} connections`}`, value: Math.round((pg / lite) * 100), unit: '%', note: `${pg} vs ${lite} letters/s; aim ≥ 50%` });
  }
  const quietRate = (db: string) => value(`intake ${db}, background stopped: durable letters/s`);
  const [lite, pg] = [quietRate('SQLite'), quietRate('PostgreSQL')];
  if (lite && pg) rows.push({ name: `intake PostgreSQL, background stopped: share of SQLite's`, value: Math.round((pg / lite) * 100), unit: '%', note: `${pg} vs ${lite} letters/s, ${CONNECTIONS} connections: the door alone` });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchIntake()) console.log(r);
}
