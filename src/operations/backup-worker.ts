// A scheduled backup in its own thread: writing the archive (reading every
// row, encoding it, compressing it) is CPU work that would otherwise hold the
// main thread's HTTP and SMTP for the length of the backup.
import { parentPort, workerData } from 'node:worker_threads';
import { backup } from '../db/archive/index.ts';
import { openPlain } from '../db/connect.ts';

export type BackupRequest = { databaseUrl: string | null; dataDir: string; file: string };
export type BackupAnswer = { ok: true; bytes: number; letters: number; ms: number } | { ok: false; error: string };

const req = workerData as BackupRequest;
const db = openPlain(req);
let answer: BackupAnswer;
try {
  const r = await backup(db, req.file);
  answer = { ok: true, bytes: r.bytes, letters: r.rows.letters ?? 0, ms: r.ms };
} catch (err) {
  answer = { ok: false, error: (err as Error).message };
} finally {
  await db.close();
}
parentPort!.postMessage(answer!);
