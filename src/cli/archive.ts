// `letterdesk backup FILE`, `letterdesk restore FILE [--force]` and
// `letterdesk migrate --to postgres://…`: the portable archive from the
// command line, with a progress bar in a terminal.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { openPlain, type PlainDb } from '../db/connect.ts';
import { backup, copyDatabase, restore, type Progress } from '../db/archive/index.ts';
import { progressBar, type ProgressBar } from './progress.ts';

function tracker(label: string): { onProgress: Progress; stop(): void } {
  let bar: ProgressBar | null = null;
  return {
    onProgress(p) {
      bar ??= progressBar(label, p.total);
      bar.update(p.done, p.table);
    },
    stop: () => bar?.stop(),
  };
}

async function withDb<T>(db: PlainDb, fn: (db: PlainDb) => Promise<T>): Promise<T> {
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const sum = (rows: Record<string, number>) => Object.values(rows).reduce((a, b) => a + b, 0);

export async function backupCommand(config: Config, file: string): Promise<void> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new Error(`${target} exists already: choose a new file name`);
  const t = tracker('backup');
  const r = await withDb(openPlain(config), (db) => backup(db, target, t.onProgress)).finally(() => t.stop());
  console.log(`backup written to ${r.file}: ${sum(r.rows)} rows in ${Object.keys(r.rows).length} tables (${r.rows.letters ?? 0} letters), ${(r.bytes / 1e6).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s`);
}

export async function restoreCommand(config: Config, file: string, force: boolean): Promise<void> {
  const t = tracker('restore');
  const r = await withDb(openPlain(config), async (db) => {
    const report = await restore(db, path.resolve(file), { force, onProgress: t.onProgress });
    return { report, where: db.describe };
  }).finally(() => t.stop());
  const { header, rows, migratedForward } = r.report;
  console.log(`restored ${sum(rows)} rows (${rows.letters ?? 0} letters) from a backup of ${header.createdAt} into ${r.where}`);
  if (migratedForward.length) console.log(`then migrated forward: ${migratedForward.join(', ')}`);
}

export async function migrateCommand(config: Config, to: string, force: boolean): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(to)) throw new Error('--to must be a PostgreSQL URL (postgres://user@host:5432/database)');
  if (config.databaseUrl && new URL(config.databaseUrl).toString() === new URL(to).toString()) throw new Error('the desk already runs on that database');
  const t = tracker('migrate');
  const source = openPlain(config);
  const report = await withDb(source, (src) => withDb(openPlain({ databaseUrl: to, dataDir: config.dataDir }), (dst) => copyDatabase(src, dst, { force, onProgress: t.onProgress }))).finally(() => t.stop());
  const differ = Object.keys(report.source).filter((name) => report.source[name] !== report.target[name]);
  if (differ.length) throw new Error(`the copy differs from the source in ${differ.map((n) => `${n} (${report.source[n]} → ${report.target[n]})`).join(', ')}`);
  const u = new URL(to);
  u.password = u.password ? '***' : '';
  console.log(`copied ${sum(report.target)} rows (${report.target.letters ?? 0} letters) in ${Object.keys(report.target).length} tables to ${u.toString()}; every table's count matches.
To run the desk on it: stop letterdesk, set DATABASE_URL=${to.replace(/:[^:@/]*@/, ':***@')} in its environment, and start it again.
${config.databaseUrl ? 'The database it came from' : 'The embedded database'} is left as it was; keep it until the desk runs well on ${config.databaseUrl ? 'the new one' : 'PostgreSQL'}.`);
}
