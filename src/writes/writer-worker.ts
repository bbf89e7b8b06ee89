// The writer thread's entry (see src/db/writer-thread.ts): runs batches of
// write commands on its own connection per database file, one batch at a
// time, and sends each batch's outcomes once it is committed.
import { parentPort } from 'node:worker_threads';
import type { AppContext } from '../context.ts';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/connect.ts';
import { openWriterConnection } from '../db/connect.ts';
import type { Publication } from '../db/repositories/publication.ts';
import { commitBatch, type Work } from '../db/write-queue.ts';
import { errorToData, type FromWriter, type ToWriter } from '../db/writer-thread.ts';
import { createLogger } from '../log/logger.ts';
import type { Logger } from 'pino';
import { findWriteCommand } from './commands.ts';
import './all.ts';

const dbs = new Map<string, Db>();
/** Made from the first command's configuration: settings come with the commands, not from the environment. */
let log: Logger | null = null;

function dbFor(file: string): Db {
  let db = dbs.get(file);
  if (!db) {
    db = openWriterConnection(file);
    dbs.set(file, db);
  }
  return db;
}

/**
 * Runs one message. A batch commits with synchronous=NORMAL: the main thread
 * syncs the log (as durable as FULL, see walSyncer) before it answers anyone,
 * while this thread goes on with the next batch.
 */
async function handle(m: ToWriter): Promise<FromWriter> {
  if (m.type === 'close') {
    const db = dbs.get(m.file);
    dbs.delete(m.file);
    await db?.close();
    return { id: m.id, ok: true };
  }
  const db = dbFor(m.file);
  const contexts = m.contexts.map(({ config, publication }): AppContext => {
    log ??= createLogger((config as Config).logLevel).child({ component: 'writer' });
    return { config: config as Config, publication: publication as Publication, db, log };
  });
  const works: Work<unknown>[] = m.items.map((item) => (trx) => {
    const command = findWriteCommand(item.name);
    if (!command) throw new Error(`unknown write command "${item.name}"`);
    return command(contexts[item.context]!, trx, item.args);
  });
  const outcomes = await commitBatch(db.k, works, { deferSync: true, errorOut: errorToData, rerunnable: true });
  return { id: m.id, ok: true, value: outcomes };
}

function reply(r: FromWriter): void {
  try {
    parentPort!.postMessage(r);
  } catch (err) {
    // A result that cannot be cloned is a bug in its command; the batch is committed, so a retry finds its writes.
    parentPort!.postMessage({ id: r.id, ok: false, error: errorToData(err) } satisfies FromWriter);
  }
}

// One message at a time: a batch's transaction must end before the next begins.
let chain: Promise<void> = Promise.resolve();
parentPort!.on('message', (m: ToWriter) => {
  chain = chain.then(() => handle(m).then(reply, (err) => reply({ id: m.id, ok: false, error: errorToData(err) })));
});
