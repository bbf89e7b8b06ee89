// Mail in: messages per second through SMTP to durable storage (each 250
// given only after the raw message and its job to read it are committed:
// the SMTP door is a spool, src/inbound/spool.ts), on SQLite and PostgreSQL,
// with p50/p99 per message, at 16 and 64 connections (BENCH_SMTP_CONNECTIONS);
// then how fast the background reads what was taken (parsing, SPF/DKIM/DMARC,
// screening, intake: what a burst waits for after its 250s); then the mail
// layer's own rows (parse-and-extract beside bare postal-mime). The corpus
// messages are sent over loopback by nodemailer (pooled connections) to the
// listener in the same process, each with a fresh Message-ID so that none is
// a duplicate.
// Authentication checks run without DNS (LETTERDESK_MAIL_DNS=off): lookups
// would measure the resolver, not the desk. The reference is a bare
// smtp-server that reads each message and discards it, fed by the same
// client, corpus and connections in the same run: what SMTP itself costs here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { openContext } from '../src/bootstrap.ts';
import { deskContext } from '../src/context.ts';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/log/logger.ts';
import { startSmtpListener } from '../src/smtp/listener.ts';
import { benchMail, type Row } from './mail.ts';
import { percentile } from './percentile.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
/** Connections the client keeps open, one run each: a sending server's few, and a busy relay's many (a spool answering after its commit is bound by how many wait at once). */
const CONNECTION_COUNTS = (process.env.BENCH_SMTP_CONNECTIONS ?? '16,64').split(',').map(Number);
const WARM_UP_MESSAGES = 160;
const PG_ADMIN = process.env.LD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LETTERS = 'letters@review.example.com';

const corpusDir = path.resolve('test/fixtures/corpus/mail');
const corpus = fs
  .readdirSync(corpusDir)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => fs.readFileSync(path.join(corpusDir, f), 'latin1'));

function withFreshId(raw: string, i: number): string {
  const id = `<bench.${i}.${crypto.randomUUID()}@example.net>`;
  return /^Message-ID:.*$/im.test(raw) ? raw.replace(/^Message-ID:.*$/im, `Message-ID: ${id}`) : `Message-ID: ${id}\r\n${raw}`;
}

async function database(dialect: 'sqlite' | 'postgres'): Promise<{ env: Record<string, string>; drop(): Promise<void> } | null> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-bench-email-'));
  if (dialect === 'sqlite') return { env: { LETTERDESK_DATA: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  const name = `ld_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch {
    return null;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    env: { LETTERDESK_DATA: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

type Driven = { latencies: number[]; seconds: number; failures: number; cpuMs: number };

let sent = 0;
/**
 * Sends the corpus to `port` over `connections` pooled connections, each message
 * with a fresh Message-ID: first WARM_UP_MESSAGES untimed (threads started,
 * code compiled, as on a desk that has been up a while), then for DURATION_MS.
 * `cpuMs` is the whole process's CPU time (every thread, the client's too) per message.
 */
async function drive(port: number, connections: number): Promise<Driven> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity });
  const send = (i: number) => transport.sendMail({ envelope: { from: 'bench@example.net', to: [LETTERS] }, raw: withFreshId(corpus[i % corpus.length]!, i) });
  try {
    const warm = Array.from({ length: WARM_UP_MESSAGES }, () => sent++);
    for (let k = 0; k < warm.length; k += connections) await Promise.allSettled(warm.slice(k, k + connections).map(send));
    const latencies: number[] = [];
    let failures = 0;
    const until = Date.now() + DURATION_MS;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          const t = performance.now();
          try {
            await send(sent++);
            latencies.push(performance.now() - t);
          } catch {
            failures += 1;
          }
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    return { latencies, seconds: (performance.now() - started) / 1000, failures, cpuMs: (used.user + used.system) / 1000 / Math.max(1, latencies.length) };
  } finally {
    transport.close();
  }
}

const pct = (l: number[], p: number) => Math.round(percentile(l, p * 100) * 10) / 10;
const rateOf = (d: Driven) => d.latencies.length / d.seconds;
/** The reference's rate in this run, for the desk's rows to be read against. */
let bareRate = NaN;

/** The reference: a bare smtp-server that reads each message to its end and discards it (250 at once). */
export async function measureBare(beside = '', connections = CONNECTION_COUNTS[0]!): Promise<Row[]> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 200,
    disableReverseLookup: true,
    onData(stream, _session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => cb(null, 'discarded'));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  try {
    const d = await drive(port, connections);
    const rate = rateOf(d);
    bareRate = rate;
    return [
      { name: `smtp bare smtp-server, discards (reference${beside ? `, beside ${beside}` : ''}), ${connections} connections: messages/s`, value: Math.round(rate), unit: 'msg/s', note: `${d.latencies.length} messages, same client and corpus, ${d.cpuMs.toFixed(2)} ms CPU a message${d.failures ? `, ${d.failures} failed` : ''}` },
    ];
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
export async function measure(dialect: 'sqlite' | 'postgres', connections = CONNECTION_COUNTS[0]!): Promise<Row[]> {
  const db = await database(dialect);
  if (!db) return [{ name: `smtp ${dialect}: messages/s (to durable storage)`, value: NaN, unit: 'msg/s', note: 'PostgreSQL not reachable' }];
  const config = loadConfig({ LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', LETTERDESK_MAIL_DNS: 'off', LETTERS_ADDRESS: LETTERS, ...db.env });
  const ctx = await openContext(config, { log: createLogger('error'), demo: false });
  const smtp = await startSmtpListener(ctx, { port: 0, host: '127.0.0.1' });
  let d: Driven;
  let read: { messages: number; seconds: number; left: number } | null = null;
  try {
    d = await drive(smtp.port, connections);
    await smtp.close();
    // What a burst waits for after its 250s: the background reads what was taken (the first run only: the same work at any connection count).
    if (connections === CONNECTION_COUNTS[0]) read = await readAll(ctx);
  } finally {
    await smtp.close().catch(() => {});
    await ctx.db.close();
    await db.drop();
  }
  const rate = rateOf(d);
  const note = `${d.latencies.length} messages, corpus mix (${corpus.length} messages: letters, tray), ${d.cpuMs.toFixed(2)} ms CPU a message${d.failures ? `, ${d.failures} failed` : ''}`;
  const at = `${connections} connections`;
  return [
    { name: `smtp ${dialect}, ${at}: messages/s (250 after commit)`, value: Math.round(rate), unit: 'msg/s', note },
    { name: `smtp ${dialect}, ${at} / bare smtp-server`, value: Math.round((rate / bareRate) * 100), unit: '%', note: 'the reference measured just before, in this run, at as many connections (aim: at least 50%)' },
    { name: `smtp ${dialect}, ${at}: 250 latency p50`, value: pct(d.latencies, 0.5), unit: 'ms' },
    { name: `smtp ${dialect}, ${at}: 250 latency p99`, value: pct(d.latencies, 0.99), unit: 'ms' },
    ...(read
      ? [{ name: `smtp ${dialect}: taken mail read afterwards (letters, tray, quarantine)`, value: Math.round(read.messages / read.seconds), unit: 'msg/s', note: `${read.messages} messages in ${read.seconds.toFixed(1)} s by the background's jobs (parsing, SPF/DKIM/DMARC, screening at the door, intake), the door closed${read.left ? `; ${read.left} NOT READ` : ''}` }]
      : []),
  ];
}

/** Runs the background's jobs until no taken message waits to be read; how many were read, in how long. */
async function readAll(ctx: Awaited<ReturnType<typeof openContext>>): Promise<{ messages: number; seconds: number; left: number }> {
  const waiting = async () => Number((await ctx.db.read.selectFrom('inbound_messages').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'received').executeTakeFirstOrThrow()).n);
  const messages = await waiting();
  const started = performance.now();
  // Until no job is due (a job that failed waits out its retry: its message is counted as left).
  while ((await ctx.db.thread!.drain(deskContext(ctx), 'jobs')) > 0);
  return { messages, seconds: (performance.now() - started) / 1000, left: await waiting() };
}

export async function benchEmail(): Promise<Row[]> {
  const rows: Row[] = [];
  // The reference just before each database, so that each share is of the machine as it was then.
  for (const dialect of ['sqlite', 'postgres'] as const) {
    for (const connections of CONNECTION_COUNTS) {
      rows.push(...(await measureBare(dialect, connections)));
      rows.push(...(await measure(dialect, connections)));
    }
  }
  rows.push(...(await benchMail()));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEmail()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
