// The writer thread's entry (see src/db/writer-thread.ts): runs batches of
// write commands on its own connection per database file, one batch at a
// time, and answers each message with its commands' outcomes once they are
// committed. A batch is whatever arrived while the last one committed.
import { parentPort } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AppContext } from '../context.ts';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/connect.ts';
import { openWriterConnection } from '../db/connect.ts';
import { sqlite } from '../db/dialect.ts';
import type { Publication } from '../db/repositories/publication.ts';
import { commitBatch, MAX_BATCH, type Work } from '../db/batch.ts';
import { errorToData, type FromWriter, type Outcome, type ToWriter } from '../db/writer-thread.ts';
import { createLogger } from '../log/logger.ts';
import type { Logger } from 'pino';
import { findWriteCommand } from './commands.ts';
import './all.ts';

const dbs = new Map<string, { db: Db; k: Kysely<Database> }>();
/** Made from the first command's configuration: settings come with the commands, not from the environment. */
let log: Logger | null = null;

function dbFor(file: string): { db: Db; k: Kysely<Database> } {
  let db = dbs.get(file);
  if (!db) {
    db = openWriterConnection(file);
    dbs.set(file, db);
  }
  return db;
}

type BatchMessage = Extract<ToWriter, { type: 'batch' }>;

/**
 * Commits the commands of several messages for one file in one transaction,
 * with synchronous=NORMAL: the main thread syncs the log (as durable as FULL,
 * see walSyncer) before it answers anyone, while this thread goes on with
 * the next batch. Each message is answered with its own commands' outcomes.
 */
async function commitMessages(messages: BatchMessage[]): Promise<void> {
  let outcomes: Outcome[];
  try {
    outcomes = await commitBatch(dbFor(messages[0]!.file).k, messages.flatMap(worksOf), { errorOut: errorToData, rerunnable: true, dialect: sqlite });
  } catch (err) {
    // Nothing of the batch is stored (or the file would not open).
    for (const m of messages) reply({ id: m.id, ok: false, error: errorToData(err) });
    return;
  }
  let at = 0;
  for (const m of messages) {
    reply({ id: m.id, ok: true, value: outcomes.slice(at, at + m.items.length) });
    at += m.items.length;
  }
}

function worksOf(m: BatchMessage): Work<unknown>[] {
  const { db } = dbFor(m.file);
  const contexts = m.contexts.map(({ config, publication }): AppContext => {
    log ??= createLogger((config as Config).logLevel).child({ component: 'writer' });
    return { config: config as Config, publication: publication as Publication, db, log };
  });
  return m.items.map((item) => (trx) => {
    const command = findWriteCommand(item.name);
    if (!command) throw new Error(`unknown write command "${item.name}"`);
    return command(contexts[item.context]!, trx, item.args);
  });
}

async function close(m: Extract<ToWriter, { type: 'close' }>): Promise<void> {
  const db = dbs.get(m.file);
  dbs.delete(m.file);
  try {
    await db?.db.close();
    reply({ id: m.id, ok: true });
  } catch (err) {
    reply({ id: m.id, ok: false, error: errorToData(err) });
  }
}

function reply(r: FromWriter): void {
  try {
    parentPort!.postMessage(r);
  } catch (err) {
    // A result that cannot be cloned is a bug in its command; the batch is committed, so a retry finds its writes.
    parentPort!.postMessage({ id: r.id, ok: false, error: errorToData(err) } satisfies FromWriter);
  }
}

// Messages wait in the inbox while a batch commits; the next batch takes all
// that arrived for the same file, in order. A transaction ends before the
// next begins, and a file closes after the batches sent before the close.
const inbox: ToWriter[] = [];
let draining = false;

async function drain(): Promise<void> {
  while (inbox.length) {
    const head = inbox.shift()!;
    if (head.type === 'close') {
      await close(head);
      continue;
    }
    const group = [head];
    let size = head.items.length;
    for (let next = inbox[0]; next?.type === 'batch' && next.file === head.file && size + next.items.length <= MAX_BATCH; next = inbox[0]) {
      group.push(inbox.shift() as BatchMessage);
      size += next.items.length;
    }
    await commitMessages(group);
    // Let the messages sent meanwhile in: they make the next batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  draining = false;
}

parentPort!.on('message', (m: ToWriter) => {
  inbox.push(m);
  if (draining) return;
  draining = true;
  // After this turn's other messages have arrived.
  setImmediate(() => void drain());
});
