// temp: in-process writer cost per letter (no HTTP, no threads)
import { sql } from 'kysely';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { openContext } from '../src/bootstrap.ts';
import { createLogger } from '../src/log/logger.ts';
import { commitBatch } from '../src/db/write-queue.ts';
import { findWriteCommand } from '../src/writes/commands.ts';
import { newLinkToken } from '../src/letters/links.ts';
import { uuidv7 } from '../src/util/random.ts';
import '../src/writes/all.ts';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-w-'));
const ctx = await openContext(loadConfig({ LETTERDESK_DATA: dir, LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off' }), { log: createLogger('silent') });
if (process.env.DROPIDX) for (const i of process.env.DROPIDX.split(',')) await sql.raw(`drop index ${i}`).execute(ctx.db.k);
const cmd = findWriteCommand('letters.store')!;
const B = 40, N = Number(process.env.N ?? 400);
let n = 0;
const args = () => { const i = n++; return { req: { source: 'api', article: { id: 'seed-isi-taliban', method: 'form', confidence: 1, title: 'T' }, writer: { name: `Bench Writer ${i}`, email: `bench${i}@example.com`, town: 'Benchville' }, subject: null, body: `Letter number ${i}. The argument about the ISI deserves a reply, and here it is in a few sentences.`, consent: true, exclusive: false, pow: 'off', dedupeKey: `idem:api:b-${i}-${uuidv7()}`, idempotency: process.env.SKIPIDEM ? undefined : { key: `api:b-${i}-${uuidv7()}`, requestHash: 'x'.repeat(64) }, meta: {}, actor: 'writer' }, letterId: uuidv7(), createdAt: new Date(), status: 'unconfirmed', link: newLinkToken() }; };
for (let round = 0; round < 3; round++) {
  const t0 = process.hrtime.bigint(); let cp = 0n; let frames = 0, ckpts = 0; const c0u = process.threadCpuUsage();
  for (let b = 0; b < N; b++) {
    const works = Array.from({ length: B }, () => { const a = args(); return (trx: any) => cmd(ctx, trx, a); });
    await commitBatch(ctx.db.k, works, { deferSync: true, rerunnable: true });
    if (b % 5 === 4) { const c0 = process.hrtime.bigint(); const r: any = await sql`pragma wal_checkpoint(passive)`.execute(ctx.db.k); frames += Number(r.rows[0].log); ckpts++; cp += process.hrtime.bigint() - c0; }
  }
  const us = Number(process.hrtime.bigint() - t0 - cp) / 1e3 / (N * B);
  const cu = process.threadCpuUsage(c0u); console.log(`frames/letter ${(frames / (ckpts * 5 * B)).toFixed(2)} round ${round}: ${us.toFixed(1)} us/letter wall, cpu ${((cu.user + cu.system) / (N * B)).toFixed(1)} (user ${(cu.user / (N * B)).toFixed(1)})`);
}
await ctx.db.close(); fs.rmSync(dir, { recursive: true, force: true });
