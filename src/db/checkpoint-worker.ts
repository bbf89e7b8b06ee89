// The checkpointer thread's entry (see checkpoints.ts): copies the embedded
// database's write-ahead log into the database file, one connection per file.
import { parentPort } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from './sqlite-database.ts';
import { errorToData, type Answer } from './worker-channel.ts';
import type { CheckpointRequest, CheckpointResult } from './checkpoints.ts';

const dbs = new Map<string, DatabaseSync>();

function handle(m: CheckpointRequest): CheckpointResult | undefined {
  if (m.type === 'close') {
    dbs.get(m.file)?.close();
    dbs.delete(m.file);
    return undefined;
  }
  let db = dbs.get(m.file);
  if (!db) {
    db = openSqlite(m.file).raw;
    dbs.set(m.file, db);
  }
  // PASSIVE: copies what no reader still needs and never waits for the writer.
  const row = db.prepare('pragma wal_checkpoint(passive)').get() as { busy: number; log: number; checkpointed: number };
  return { logFrames: row.log, copied: row.checkpointed };
}

parentPort!.on('message', (m: CheckpointRequest & { id: number }) => {
  let answer: Answer<CheckpointResult | undefined>;
  try {
    answer = { id: m.id, ok: true, value: handle(m) };
  } catch (err) {
    answer = { id: m.id, ok: false, error: errorToData(err) };
  }
  parentPort!.postMessage(answer);
});
