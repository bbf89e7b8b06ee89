// Sends one hostile message to a test desk from a process of its own, so that
// building and sending megabytes costs the desk's process nothing: what the
// test then measures on the desk's event loop is the desk's own doing.
//
//   node test/support/hostile-client.ts '{"door":"smtp","port":2525,"message":{"kind":"folded","bytes":2097152,"id":"x"}}'
//
// It builds the message, prints "ready", waits for a line on stdin, sends,
// and prints the answer as JSON. From a test: `hostileSender(spec)`.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { foldedSubjectMessage, hugeHtmlLetter, hugeLetter, plainLetter } from './hostile-mail.ts';
import { dataPayload, smtpSend } from './smtp-client.ts';

export type MessageSpec = { kind: 'folded' | 'huge' | 'html' | 'plain'; bytes?: number; id: string };
export type SendSpec =
  | { door: 'smtp'; port: number; from?: string; to?: string; message: MessageSpec }
  | { door: 'raw'; url: string; token: string; message: MessageSpec };
export type SendAnswer = { status: number; body: any; ms: number };

export function buildMessage(m: MessageSpec): Buffer {
  if (m.kind === 'folded') return foldedSubjectMessage(m.bytes ?? 2 * 1024 * 1024, m.id);
  if (m.kind === 'huge') return hugeLetter(m.bytes ?? 9 * 1024 * 1024, m.id);
  if (m.kind === 'html') return hugeHtmlLetter(m.bytes ?? 9 * 1024 * 1024, m.id);
  return plainLetter(m.id);
}

/** Starts the sender; `send()` lets it go and resolves with the desk's answer and how long it took. */
export async function hostileSender(spec: SendSpec): Promise<{ send(): Promise<SendAnswer> }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'inherit'] });
  // In life the sender is another machine: here it yields the shared cores to the desk.
  os.setPriority(child.pid!, 10);
  let out = '';
  const lines: ((line: string) => void)[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      lines.shift()?.(line);
    }
  });
  const next = () => new Promise<string>((resolve, reject) => {
    lines.push(resolve);
    child.once('exit', (code) => reject(new Error(`hostile sender exited with ${code}`)));
  });
  const ready = await next();
  if (ready !== 'ready') throw new Error(`hostile sender: ${ready}`);
  return {
    async send() {
      const answer = next();
      child.stdin.end('go\n');
      return JSON.parse(await answer) as SendAnswer;
    },
  };
}

async function main(spec: SendSpec): Promise<void> {
  const raw = buildMessage(spec.message);
  const payload = spec.door === 'smtp' ? dataPayload(raw) : raw;
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const t = performance.now();
  let answer: { status: number; body: any };
  if (spec.door === 'smtp') {
    const r = await smtpSend(spec.port, payload, { from: spec.from ?? 'pat.writer@example.net', to: spec.to ?? 'letters@review.example.com' });
    answer = { status: r.code, body: r.text };
  } else {
    const res = await fetch(spec.url, { method: 'POST', headers: { authorization: `Bearer ${spec.token}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(payload) });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {}
    answer = { status: res.status, body };
  }
  process.stdout.write(`${JSON.stringify({ ...answer, ms: performance.now() - t })}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(JSON.parse(process.argv[2]!) as SendSpec);
