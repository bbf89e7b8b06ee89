// Start-up with a million letters: from `letterdesk start` to /readyz
// answering 200, beside the same start on an empty database in the same run.
// The letters and their campaign records are written straight into the
// tables (intake is benched elsewhere). Then the time to read the campaign
// index back from those records, which a starting node now does in the
// background while screening waits for it. The newest ten letters are
// still queued for screening, as when a node restarts under way.
// BENCH_STARTUP_LETTERS sets how many letters (default 1,000,000);
// BENCH_DB=sqlite|postgres measures one database.
import { loadConfig } from '../src/config/index.ts';
import { recordEvent } from '../src/db/repositories/events.ts';
import { openContext } from '../src/bootstrap.ts';
import { createLogger } from '../src/log/logger.ts';
import type { AppContext } from '../src/context.ts';
import { CampaignIndex, type CampaignRecord } from '../src/screening/campaigns.ts';
import { campaignIndex, campaignsReady } from '../src/screening-store/state.ts';
import { CampaignTemplate, Vocabulary, rng, uniqueLetter } from '../test/screening/synthetic.ts';
import { startNode } from '../test/operations/nodes.ts';
import { onEachDatabase } from './databases.ts';
import type { Row } from './mail.ts';

const LETTERS = Number(process.env.BENCH_STARTUP_LETTERS ?? 1_000_000);

/** Seconds from spawning `letterdesk start` to /readyz answering 200; the process is stopped after. */
async function readyAfter(env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const node = await startNode({ dataDir: env.LETTERDESK_DATA!, databaseUrl: env.DATABASE_URL ?? null }, 'bench', { LOG_LEVEL: 'warn' }, { args: ['--no-demo'], readyWithinMs: 600_000 });
  const seconds = (performance.now() - t0) / 1000;
  node.process.kill('SIGTERM');
  await node.exited;
  return seconds;
}

/**
 * Campaign records like screening writes, cheaply: the records of a few
 * thousand synthetic letters (a quarter of them campaign letters), each
 * reused with its signatures scrambled per letter, so copies do not match
 * one another and the index holds a million distinct letters. Without
 * talking-point words (records written before talking points).
 */
function recordPool(): CampaignRecord[] {
  const vocab = new Vocabulary(20000, 3);
  const r = rng(5);
  const templates = Array.from({ length: 20 }, () => new CampaignTemplate(vocab, r));
  const index = new CampaignIndex({ talkingPoints: false });
  return Array.from({ length: 2000 }, (_, i) => {
    const text = r() < 0.25 ? templates[Math.floor(r() * 20)]!.letter([0, 1, 2, 3].map(() => Math.floor(r() * 5)), vocab, r) : uniqueLetter(vocab, r);
    return index.add(`p${i}`, text, i).record;
  });
}

function scrambled(record: CampaignRecord, letterId: string, at: number, n: number): CampaignRecord {
  const units = record.units.map((u) => {
    const bytes = Buffer.from(u.sig, 'base64');
    for (let i = 0; i < bytes.length; i++) bytes[i] ^= (Math.imul(n + 1, 0x9e3779b1) >>> (8 * (i % 4))) & 0xff;
    return { ...u, sig: bytes.toString('base64') };
  });
  return { letterId, at, units };
}

/** Writes `letters` letters and their campaign records straight into the tables (also used by scripts/profile-replay.ts). */
export async function fill(ctx: AppContext, letters = LETTERS): Promise<void> {
  const LETTERS = letters;
  const { db } = ctx;
  const m = db.dialect;
  const pool = recordPool();
  const now = Date.now();
  const writers = 5000;
  const page = 5000;
  await db.writes.run(async (trx) => {
    for (let i = 0; i < writers; i += 500) {
      const rows = [];
      for (let j = i; j < Math.min(writers, i + 500); j++) {
        const t = m.time(new Date(now - 86400_000));
        rows.push({ id: `w${String(j).padStart(6, '0')}`, email: `w${j}@bench.example`, email_key: `w${j}@bench.example`, variant_key: `w${j}@bench.example`, name: `Writer ${j}`, town: 'Town', phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: t, updated_at: t });
      }
      await trx.insertInto('writers').values(rows).execute();
    }
  });
  for (let i = 0; i < LETTERS; i += page) {
    await db.writes.run(async (trx) => {
      const letters = [];
      const records = [];
      for (let j = i; j < Math.min(LETTERS, i + page); j++) {
        const created = new Date(now - (LETTERS - j) * 1000);
        const id = `${created.getTime().toString(16).padStart(12, '0')}-${String(j).padStart(8, '0')}`;
        const body = `Letter ${j} about the railway and the hospital budget.`;
        const t = m.time(created);
        letters.push({
          id, article_id: null, writer_id: `w${String(j % writers).padStart(6, '0')}`, status: 'new', source: 'form', subject: null, name: `Writer ${j % writers}`, town: 'Town', body, original: body,
          edited_body: null, headline: null, display_name: null, word_count: 9, consent: m.bool(true), exclusive: m.bool(true), article_method: null, article_confidence: null, spam_score: 0.1, spam_reasons: m.json([]),
          campaign_id: null, flags: m.json([]), pow: 'off', dedupe_key: null, message_id: null, confirm_token_hash: null, confirmed_at: null, assigned_to: null, scheduled_at: null, published_at: null, meta: m.json({}), created_at: t, updated_at: t,
        });
        records.push({ letter_id: id, record: m.json(scrambled(pool[j % pool.length]!, id, created.getTime(), j)), created_at: t });
      }
      // SQLite takes at most 32,766 values a statement.
      for (let k = 0; k < letters.length; k += 500) {
        await trx.insertInto('letters').values(letters.slice(k, k + 500)).execute();
        await trx.insertInto('campaign_records').values(records.slice(k, k + 500)).execute();
      }
      // The newest letters still wait for screening, as when a node restarts under way.
      if (i + page >= LETTERS) for (const l of letters.slice(-10)) await recordEvent(db, trx, { letterId: l.id, actor: 'bench', action: 'received' });
    });
  }
}

async function measure(label: string, env: Record<string, string>): Promise<Row[]> {
  const config = () => loadConfig({ ...env, LETTERDESK_POW: 'off' });
  // The reference: the same start on an empty database (created and migrated first, as the full one is).
  let ctx = await openContext(config(), { log: createLogger('silent'), demo: false });
  await ctx.db.close();
  const empty = await readyAfter(env);
  ctx = await openContext(config(), { log: createLogger('silent'), demo: false });
  const t0 = performance.now();
  await fill(ctx);
  const fillS = (performance.now() - t0) / 1000;
  await ctx.db.close();
  const full = await readyAfter(env);
  // The campaign index read back from the records, as a starting node does in the background.
  ctx = await openContext(config(), { log: createLogger('silent'), demo: false });
  const t1 = performance.now();
  await campaignsReady(ctx.db);
  const index = (await campaignIndex(ctx.db, ctx.db.read)).index;
  const replayS = (performance.now() - t1) / 1000;
  await ctx.db.close();
  const n = LETTERS.toLocaleString('en');
  return [
    { name: `start-up ${label}: ready, empty database (reference)`, value: Number(empty.toFixed(2)), unit: 's' },
    { name: `start-up ${label}: ready with ${n} letters`, value: Number(full.toFixed(2)), unit: 's', note: `letters and campaign records written in ${Math.round(fillS)} s` },
    { name: `start-up ${label}: campaign index read from ${n} records`, value: Number(replayS.toFixed(1)), unit: 's', note: `in the background after ready; ${index.letterCount.toLocaleString('en')} letters, screening waits for it` },
  ];
}

export async function benchStartup(): Promise<Row[]> {
  return onEachDatabase('start-up', measure);
}

if (import.meta.main) {
  for (const r of await benchStartup()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}
