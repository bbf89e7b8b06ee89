// Scheduled backups (BACKUP_DIR): once a day a consistent snapshot of the
// desk in the portable archive format (src/db/archive), written by a worker
// thread, the newest BACKUP_KEEP kept. The outcome is in the log and in the
// metrics (letterdesk_backups_total, letterdesk_backup_last_*), where an
// operator's alert belongs. The folder's own files say when the last backup
// was, so a restart does not take another, and nodes sharing the folder
// share the schedule.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppContext } from '../context.ts';
import type { BackupAnswer, BackupRequest } from './backup-worker.ts';

const DAY_MS = 86_400_000;
/** Backups are named by when they began, in UTC, so names sort by time: letterdesk-20261130T021500Z.backup */
const NAME = /^letterdesk-(\d{8}T\d{6}Z)\.backup$/;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const whenOf = (s: string) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);

/** The backups in `dir`, oldest first. */
export function listBackups(dir: string): { file: string; at: Date }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((name) => {
      const m = NAME.exec(name);
      return m ? [{ file: path.join(dir, name), at: whenOf(m[1]!) }] : [];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

function inWorker(req: BackupRequest): Promise<BackupAnswer> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./backup-worker.ts', import.meta.url), { workerData: req });
    let answered = false;
    worker.once('message', (a: BackupAnswer) => {
      answered = true;
      resolve(a);
    });
    worker.once('error', (err) => resolve({ ok: false, error: err.message }));
    worker.once('exit', (code) => {
      if (!answered) resolve({ ok: false, error: `the backup thread stopped (exit code ${code})` });
    });
  });
}

export type ScheduledBackup = { file: string; ok: boolean; error?: string; removed: string[] };

/**
 * Takes a backup when the newest in BACKUP_DIR is a day old or older (none
 * without BACKUP_DIR), then removes all but the newest BACKUP_KEEP. Never
 * throws: a failure is logged and counted, and the next round tries again.
 */
export async function backupIfDue(ctx: AppContext, now = new Date()): Promise<ScheduledBackup | null> {
  const { backupDir: dir, backupKeep: keep } = ctx.config;
  if (!dir) return null;
  const log = ctx.log.child({ component: 'backup' });
  const file = path.join(dir, `letterdesk-${stamp(now)}.backup`);
  let answer: BackupAnswer;
  let removed: string[] = [];
  try {
    const newest = listBackups(dir).at(-1);
    if (newest && now.getTime() - newest.at.getTime() < DAY_MS) return null;
    fs.mkdirSync(dir, { recursive: true });
    answer = fs.existsSync(file) ? { ok: false, error: `${file} exists already` } : await inWorker({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, file });
    if (answer.ok) {
      removed = listBackups(dir)
        .slice(0, -keep)
        .map((b) => b.file);
      for (const f of removed) fs.rmSync(f, { force: true });
    }
  } catch (err) {
    answer = { ok: false, error: (err as Error).message };
  }
  if (!answer.ok) {
    ctx.metrics.backups.inc({ outcome: 'failed' });
    log.error({ file, error: answer.error }, 'scheduled backup failed');
    return { file, ok: false, error: answer.error, removed: [] };
  }
  ctx.metrics.backups.inc({ outcome: 'done' });
  ctx.metrics.backupLastSuccess.set(Math.floor(Date.now() / 1000));
  ctx.metrics.backupBytes.set(answer.bytes);
  log.info({ file, bytes: answer.bytes, letters: answer.letters, ms: answer.ms, removed: removed.length }, 'scheduled backup written');
  return { file, ok: true, removed };
}
