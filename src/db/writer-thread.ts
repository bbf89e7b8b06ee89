// The writer thread: the embedded database's write commands run here, on a
// connection of their own in a worker thread, so that executing statements
// (node:sqlite is synchronous) does not hold up the thread that serves HTTP.
// The main thread sends each turn's commands as they come (write-queue.ts);
// the writer commits whatever arrived while it was busy as one transaction
// (group commit), with synchronous=NORMAL, and sends back each command's
// outcome. The main thread then syncs the log in the thread pool and only
// then answers anyone, while the writer goes on with the next batch.
// One writer thread serves every embedded database this process opens (tests
// open many); it starts on first use and does not keep the process alive.
import type { Outcome } from './batch.ts';
import { workerChannel, type ErrorData } from './worker-channel.ts';

export type { Outcome } from './batch.ts';
export { errorFromData, errorToData, type ErrorData } from './worker-channel.ts';

/** What a command needs to run in the writer thread (see src/writes/commands.ts). */
export type RemoteWrite = { name: string; args: unknown; config: unknown; publication: unknown };

/** A batch crosses as commands plus the few distinct settings they carry (usually one), each cloned once. */
export type PackedBatch = { items: { name: string; args: unknown; context: number }[]; contexts: { config: unknown; publication: unknown }[] };
export type ToWriter = ({ type: 'batch'; id: number; file: string } & PackedBatch) | { type: 'close'; id: number; file: string };
export type FromWriter = { id: number; ok: true; value?: Outcome[] } | { id: number; ok: false; error: ErrorData };

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

const writer = workerChannel<Unsent<ToWriter>, Outcome[] | undefined>(new URL('../writes/writer-worker.ts', import.meta.url), 'the database writer');

/**
 * The writer thread's side of one database file. `run` resolves with each
 * command's outcome once the batch is committed with synchronous=NORMAL:
 * the caller syncs the log before it tells anyone (see write-queue.ts).
 */
export type WriterHandle = { run(items: RemoteWrite[]): Promise<Outcome[]>; close(): Promise<void> };

// The writer opens a file's connection on its first batch.
export function writerFor(file: string): WriterHandle {
  let used = false;
  return {
    async run(items) {
      used = true;
      return (await writer.send({ type: 'batch', file, ...pack(items) }))!;
    },
    async close() {
      if (used && writer.running()) await writer.send({ type: 'close', file }).catch(() => {});
    },
  };
}

function pack(writes: RemoteWrite[]): PackedBatch {
  const contexts: PackedBatch['contexts'] = [];
  const items = writes.map(({ name, args, config, publication }) => {
    let context = contexts.findIndex((c) => c.config === config && c.publication === publication);
    if (context < 0) context = contexts.push({ config, publication }) - 1;
    return { name, args, context };
  });
  return { items, contexts };
}

/** Stops the writer thread (its pending callers are told); the next write starts a new one. */
export function stopWriterThread(): Promise<void> {
  return writer.stop();
}
