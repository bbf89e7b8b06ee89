// Reading the campaign index back from its records, alone, for profiling:
// `node --cpu-prof scripts/profile-replay.ts`. Fills REPLAY_LETTERS (default
// 100,000) letters and records like bench/startup.ts into REPLAY_DIR (kept
// between runs, filled once; DATABASE_URL for PostgreSQL), then times the
// background build a starting node runs.
import fs from 'node:fs';
import { loadConfig } from '../src/config/index.ts';
import { openContext } from '../src/bootstrap.ts';
import { createLogger } from '../src/log/logger.ts';
import { campaignIndex, campaignsReady } from '../src/screening-store/state.ts';
import { fill } from '../bench/startup.ts';

const letters = Number(process.env.REPLAY_LETTERS ?? 100_000);
const dir = process.env.REPLAY_DIR ?? `/tmp/letterdesk-replay-${letters}`;
const env = { LETTERDESK_DATA: dir, LETTERDESK_POW: 'off', ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) };
const marker = `${dir}/filled${process.env.DATABASE_URL ? '-pg' : ''}`;
let ctx = await openContext(loadConfig(env), { log: createLogger('silent'), demo: false });
if (!fs.existsSync(marker)) {
  const t = performance.now();
  await fill(ctx, letters);
  fs.writeFileSync(marker, '');
  console.log(`filled ${letters} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await ctx.db.close();
  ctx = await openContext(loadConfig(env), { log: createLogger('silent'), demo: false });
}
const t0 = performance.now();
await campaignsReady(ctx.db);
const { index } = await campaignIndex(ctx.db, ctx.db.read);
const s = (performance.now() - t0) / 1000;
console.log(`read back ${index.letterCount} letters in ${s.toFixed(2)} s (${((s * 1e6) / index.letterCount).toFixed(1)} µs a record), heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
await ctx.db.close();
