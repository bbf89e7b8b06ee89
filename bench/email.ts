// Mail in: messages per second through SMTP to durable storage (each 250
// given only after the raw message and its outcome are committed), on SQLite
// and PostgreSQL, with p50/p99 per message; then the mail layer's own rows
// (parse-and-extract beside bare postal-mime). The corpus messages are sent
// over loopback by nodemailer (pooled connections) to the listener in the
// same process, each with a fresh Message-ID so that none is a duplicate.
// Authentication checks run without DNS (LETTERDESK_MAIL_DNS=off): lookups
// would measure the resolver, not the desk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { openContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/log/logger.ts';
import { startSmtpListener } from '../src/smtp/listener.ts';
import { benchMail, type Row } from './mail.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 16);
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

export async function measure(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const db = await database(dialect);
  if (!db) return [{ name: `SMTP → durable storage [${dialect}]`, value: NaN, unit: 'msg/s', note: 'PostgreSQL not reachable' }];
  const config = loadConfig({ LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off', LETTERDESK_MAIL_DNS: 'off', LETTERS_ADDRESS: LETTERS, ...db.env });
  const ctx = await openContext(config, { log: createLogger('error'), demo: false });
  const smtp = await startSmtpListener(ctx, { port: 0, host: '127.0.0.1' });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const until = Date.now() + DURATION_MS;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < until) {
          const i = next++;
          const raw = withFreshId(corpus[i % corpus.length]!, i);
          const t = performance.now();
          try {
            await transport.sendMail({ envelope: { from: 'bench@example.net', to: [LETTERS] }, raw });
            latencies.push(performance.now() - t);
          } catch {
            failures += 1;
          }
        }
      }),
    );
  } finally {
    const seconds = (performance.now() - started) / 1000;
    transport.close();
    await smtp.close();
    await ctx.db.close();
    await db.drop();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
    const note = `${latencies.length} messages over ${CONNECTIONS} connections, corpus mix (${corpus.length} messages: letters with acknowledgement, tray)${failures ? `, ${failures} failed` : ''}`;
    // eslint-disable-next-line no-unsafe-finally
    return [
      { name: `SMTP → durable storage [${dialect}]`, value: Math.round(latencies.length / seconds), unit: 'msg/s', note },
      { name: `SMTP 250 latency p50 [${dialect}]`, value: Math.round(pct(0.5) * 10) / 10, unit: 'ms' },
      { name: `SMTP 250 latency p99 [${dialect}]`, value: Math.round(pct(0.99) * 10) / 10, unit: 'ms' },
    ];
  }
}

export async function benchEmail(): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await measure('sqlite')));
  rows.push(...(await measure('postgres')));
  rows.push(...(await benchMail()));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEmail()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
