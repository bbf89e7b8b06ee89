// temp: SQLite-only intake load, prints letters/s p50 p99 (not committed)
import { spawn } from 'node:child_process';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path'; import crypto from 'node:crypto';
import autocannon from 'autocannon';
const DUR = Number(process.env.S ?? 8);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-load-'));
const cwd = process.env.CWD ?? process.cwd();
const child = spawn(process.execPath, [path.join(cwd, 'bench/intake-server.ts')], { cwd, env: { ...process.env, LETTERDESK_DATA: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
const url: string = await new Promise((res) => child.stdout!.on('data', (d: Buffer) => { const m = /READY (\S+)/.exec(d.toString()); if (m) res(m[1]!); }));
console.log('PID', child.pid);
let n = 0;
const r: any = await new Promise((res, rej) => autocannon({ url: `${url}/api/v1/letters`, connections: Number(process.env.C ?? 64), duration: DUR, requests: [{ method: 'POST', setupRequest: (req: any) => { const i = n++; return { ...req, headers: { 'content-type': 'application/json', 'idempotency-key': `b-${i}-${crypto.randomUUID()}` }, body: JSON.stringify({ article: 'seed-isi-taliban', name: `Bench Writer ${i}`, email: `bench${i}@example.com`, town: 'Benchville', body: `Letter number ${i}. The argument about the ISI deserves a reply, and here it is in a few sentences.`, consent: true }) }; } }] } as any, (e: any, x: any) => (e ? rej(e) : res(x))));
console.log(`${cwd}: ${Math.round(r['2xx'] / r.duration)} letters/s p50 ${r.latency.p50} p99 ${r.latency.p99} non2xx ${r.non2xx}`);
child.kill('SIGTERM'); await new Promise((x) => child.once('exit', x)); fs.rmSync(dir, { recursive: true, force: true });
