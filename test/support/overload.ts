// Overload as issue 14 describes it, driven against a desk in a process of
// its own (overload-server.ts): writers posting letters as fast as they are
// answered (and, told to wait, waiting as long as Retry-After says before
// sending the same letter again), desk readers reading the queue, clients
// posting bodies over the limit, and senders of letters by SMTP (told 451,
// waiting the seconds it says). Every answer is recorded, so a test
// can ask what a user would notice and a bench can print the latencies.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPayload, smtpSend, type SmtpReply } from './smtp-client.ts';

export type Answer = { status: number; ms: number; retryAfter: string | null; body: string; path?: string };
/** A writer's answer, with the letter it sent (to send again). */
export type WriteAnswer = Answer & { key: string; id: string | null; sent: string };
export type OversizedAnswer = Answer & { bytesSent: number; declared: number };

export type DeskProcess = { url: string; token: string; smtp: { port: number; to: string }; pid: number; child: ChildProcess; stop(): Promise<void> };
/** An SMTP sender's answer: the reply, and the stored message's id when it was taken (250). */
export type SmtpAnswer = { code: number; text: string; ms: number; key: string; id: string | null; from: string; raw: Buffer };

const SERVER = fileURLToPath(new URL('./overload-server.ts', import.meta.url));

/** Starts the desk in a child process on this database (env: DATABASE_URL or LETTERDESK_DATA, and any setting). */
export async function startDeskProcess(env: Record<string, string>): Promise<DeskProcess> {
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const [url, token, smtpPort, to] = await new Promise<[string, string, string, string]>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+) (\S+) (\d+) (\S+)/.exec(out);
      if (m) resolve([m[1]!, m[2]!, m[3]!, m[4]!]);
    });
    child.on('exit', (c) => reject(new Error(`the desk process exited ${c} before it was ready`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url,
    token,
    smtp: { port: Number(smtpPort), to },
    pid: child.pid!,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The resident memory of a process now, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

function request(agent: http.Agent, url: string, opts: { method: string; headers: Record<string, string | number>; body?: string }): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method, headers: opts.headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, ms: performance.now() - started, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * A body declared as `declared` bytes: the headers go first, and the body
 * only if no answer has come after `patienceMs`. A desk that refuses from
 * the declared length answers with nothing of the body sent (bytesSent 0);
 * one that reads before refusing gets the whole body first.
 */
function postOversized(url: string, declared: number, patienceMs: number): Promise<OversizedAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let done = false;
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': declared } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        done = true;
        clearTimeout(impatient);
        resolve({ status: res.statusCode!, ms: performance.now() - started, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, body, bytesSent, declared });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
    req.flushHeaders();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!done && bytesSent < declared) {
        const piece = chunk.subarray(0, Math.min(chunk.length, declared - bytesSent));
        bytesSent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    const impatient = setTimeout(pump, patienceMs);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type OverloadPlan = { writers: number; readers: number; oversized: number; durationMs: number; article: string; oversizedBytes?: number; memoryPid?: number; smtp?: { senders: number; port: number; to: string } };
export type OverloadResult = {
  writes: WriteAnswer[];
  /** Letters acknowledged (2xx) and their ids. */
  acknowledged: { key: string; id: string }[];
  reads: Answer[];
  oversized: OversizedAnswer[];
  /** Every SMTP answer, and the messages taken (250) with their stored ids. */
  mail: SmtpAnswer[];
  mailTaken: { key: string; id: string }[];
  /** Peak resident memory of the desk's process while the load ran, MiB. */
  peakRssMiB: number;
  errors: string[];
};

/** Runs the kinds of client together for `durationMs`; each finishes the request it has under way. */
export async function runOverload(url: string, token: string, plan: OverloadPlan): Promise<OverloadResult> {
  const until = performance.now() + plan.durationMs;
  const writerAgent = new http.Agent({ keepAlive: true, maxSockets: plan.writers });
  const readerAgent = new http.Agent({ keepAlive: true, maxSockets: plan.readers });
  const result: OverloadResult = { writes: [], acknowledged: [], reads: [], oversized: [], mail: [], mailTaken: [], peakRssMiB: 0, errors: [] };
  const sampler = plan.memoryPid
    ? setInterval(() => {
        try {
          result.peakRssMiB = Math.max(result.peakRssMiB, rssMiB(plan.memoryPid!));
        } catch {}
      }, 100)
    : null;
  const run = `${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;

  async function writer(w: number): Promise<void> {
    for (let n = 0; performance.now() < until; n++) {
      const key = `overload-${run}-${w}-${n}`;
      const body = JSON.stringify({ article: plan.article, name: `Writer ${w}`, email: `writer${w}-${run}@example.com`, town: 'Loadville', body: `Letter ${n} from writer ${w}. The argument deserves a reply, and here it is in a few plain sentences.`, consent: true });
      // The same letter again, after the wait the desk asked for, until it is taken.
      while (performance.now() < until) {
        let a: Answer;
        try {
          a = await request(writerAgent, `${url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'content-length': Buffer.byteLength(body) }, body });
        } catch (err) {
          result.errors.push(`writer: ${(err as Error).message}`);
          await sleep(100);
          continue;
        }
        let id: string | null = null;
        try {
          id = (JSON.parse(a.body) as { id?: string }).id ?? null;
        } catch {}
        result.writes.push({ ...a, key, id, sent: body });
        if (a.status >= 200 && a.status < 300) {
          if (id) result.acknowledged.push({ key, id });
          break;
        }
        if (a.status !== 429 && a.status !== 503) break;
        const wait = Number(a.retryAfter);
        await sleep(Number.isFinite(wait) && wait > 0 ? Math.min(wait * 1000, Math.max(0, until - performance.now())) : 1000);
      }
    }
  }

  async function reader(r: number): Promise<void> {
    const paths = ['/api/v1/letters?limit=20', '/api/v1/queue/counts', '/healthz'];
    for (let n = r; performance.now() < until; n++) {
      try {
        const path = paths[n % paths.length]!;
        result.reads.push({ ...(await request(readerAgent, `${url}${path}`, { method: 'GET', headers: { authorization: `Bearer ${token}` } })), path });
      } catch (err) {
        result.errors.push(`reader: ${(err as Error).message}`);
        await sleep(100);
      }
    }
  }

  async function oversized(): Promise<void> {
    while (performance.now() < until) {
      try {
                // A minute's patience: long enough that only a desk waiting for the body (not a slow one) gets it.
        result.oversized.push(await postOversized(`${url}/api/v1/letters`, plan.oversizedBytes ?? 2 * 1024 * 1024, 60_000));
      } catch (err) {
        result.errors.push(`oversized: ${(err as Error).message}`);
        await sleep(100);
      }
    }
  }

  async function mailer(m: number): Promise<void> {
    const smtp = plan.smtp!;
    for (let n = 0; performance.now() < until; n++) {
      const key = `<overload-${run}-${m}-${n}@mail.example.net>`;
      const from = `sender${m}-${run}@example.net`;
      const raw = Buffer.from(`From: Sender ${m} <${from}>\r\nTo: ${smtp.to}\r\nSubject: Letter ${n}\r\nMessage-ID: ${key}\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear editor,\r\n\r\nLetter ${n} from sender ${m}: the tram line deserves a second look, and here is why in a few plain sentences.\r\n\r\nSender ${m}\r\nLoadville\r\n`);
      // The same message again (same Message-ID), after the wait the desk asked for, until it is taken.
      while (performance.now() < until) {
        const started = performance.now();
        let reply: SmtpReply;
        try {
          reply = await smtpSend(smtp.port, dataPayload(raw), { from, to: smtp.to });
        } catch (err) {
          result.errors.push(`smtp: ${(err as Error).message}`);
          await sleep(100);
          continue;
        }
        const id = reply.code === 250 ? (/(?:queued|already received) as (\S+)/.exec(reply.text)?.[1] ?? null) : null;
        result.mail.push({ code: reply.code, text: reply.text, ms: performance.now() - started, key, id, from, raw });
        if (reply.code === 250) {
          if (id) result.mailTaken.push({ key, id });
          break;
        }
        if (reply.code < 400 || reply.code >= 500) break;
        const wait = smtpWait(reply.text);
        await sleep(Math.min(wait * 1000, Math.max(0, until - performance.now())));
      }
    }
  }

  await Promise.all([
    ...Array.from({ length: plan.smtp?.senders ?? 0 }, (_, i) => mailer(i)),
    ...Array.from({ length: plan.writers }, (_, i) => writer(i)),
    ...Array.from({ length: plan.readers }, (_, i) => reader(i)),
    ...Array.from({ length: plan.oversized }, () => oversized()),
  ]);
  if (sampler) clearInterval(sampler);
  writerAgent.destroy();
  readerAgent.destroy();
  return result;
}

/** The seconds a 451 asks to wait (1 when it does not say). */
export function smtpWait(text: string): number {
  return Number(/try again in (\d+) seconds/.exec(text)?.[1] ?? 1);
}

/** Sends one message by SMTP until it is taken (250), waiting as each refusal asks; its stored id. */
export async function sendMailUntilTaken(smtp: { port: number; to: string }, from: string, raw: Buffer, tries = 20): Promise<{ id: string; refusals: string[] }> {
  const refusals: string[] = [];
  for (let i = 0; i < tries; i++) {
    const reply = await smtpSend(smtp.port, dataPayload(raw), { from, to: smtp.to });
    const id = reply.code === 250 ? /(?:queued|already received) as (\S+)/.exec(reply.text)?.[1] : undefined;
    if (id) return { id, refusals };
    refusals.push(reply.text);
    await sleep(smtpWait(reply.text) * 1000);
  }
  throw new Error(`not taken after ${tries} tries: ${refusals.at(-1)}`);
}

/** Sends one letter by the API until it is taken (2xx), waiting as each 503 or 429 asks; its id. */
export async function sendLetterUntilTaken(url: string, key: string, body: string, tries = 20): Promise<string> {
  const agent = new http.Agent({ keepAlive: false });
  for (let i = 0; i < tries; i++) {
    const a = await request(agent, `${url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'content-length': Buffer.byteLength(body) }, body });
    if (a.status >= 200 && a.status < 300) return (JSON.parse(a.body) as { id: string }).id;
    if (a.status !== 503 && a.status !== 429) throw new Error(`${a.status} ${a.body}`);
    await sleep(Number(a.retryAfter) * 1000);
  }
  throw new Error(`not taken after ${tries} tries`);
}

/** The p-th percentile (0–100) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const overloadServerPath = path.relative(process.cwd(), SERVER);
