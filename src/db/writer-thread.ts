// The writer thread: the embedded database's write commands run here, on a
// connection of their own in a worker thread, so that executing statements
// (node:sqlite is synchronous) does not hold up the thread that serves HTTP.
// The main thread gathers commands into batches (group commit, in
// write-queue.ts); the writer runs a batch in one transaction, each command in
// its own savepoint, commits with synchronous=NORMAL and sends back each
// command's outcome. The main thread then syncs the log in the thread pool
// and only then answers anyone, while the writer goes on with the next batch.
// One writer thread serves every embedded database this process opens (tests
// open many); it starts on first use and does not keep the process alive.
import { Worker } from 'node:worker_threads';

/** What a command needs to run in the writer thread (see src/writes/commands.ts). */
export type RemoteWrite = { name: string; args: unknown; config: unknown; publication: unknown };
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Errors cross the thread boundary as plain data; the fields callers test (code, errcode, status) survive. */
export type ErrorData = { name: string; message: string; code?: unknown; errcode?: unknown; status?: unknown };

export function errorToData(err: unknown): ErrorData {
  const e = err as { name?: unknown; message?: unknown; code?: unknown; errcode?: unknown; status?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(e?.code !== undefined ? { code: e.code } : {}),
    ...(e?.errcode !== undefined ? { errcode: e.errcode } : {}),
    ...(e?.status !== undefined ? { status: e.status } : {}),
  };
}

export function errorFromData(d: ErrorData): Error {
  const err = new Error(d.message) as Error & Record<string, unknown>;
  err.name = d.name;
  if (d.code !== undefined) err.code = d.code;
  if (d.errcode !== undefined) err.errcode = d.errcode;
  if (d.status !== undefined) err.status = d.status;
  return err;
}

export type ToWriter =
  | { type: 'batch'; id: number; file: string; items: RemoteWrite[] }
  | { type: 'close'; id: number; file: string };
export type FromWriter = { id: number; ok: true; outcomes?: Outcome[] } | { id: number; ok: false; error: ErrorData };

type Pending = { resolve(v: Outcome[] | undefined): void; reject(e: unknown): void };

const ENTRY = new URL('../writes/writer-worker.ts', import.meta.url);

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(ENTRY);
  w.unref();
  w.on('message', (m: FromWriter) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.outcomes);
    else p.reject(errorFromData(m.error));
  });
  const fail = (err: Error) => {
    // A writer that died mid-transaction committed nothing of that batch:
    // SQLite rolls it back. Its callers are told so; the next write starts a new writer.
    if (worker === w) worker = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(err);
    }
  };
  w.on('error', (err) => fail(new Error(`the database writer stopped: ${err.message}`)));
  w.on('exit', (code) => fail(new Error(`the database writer exited (code ${code})`)));
  worker = w;
  return w;
}

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

function send(msg: Unsent<ToWriter>): Promise<Outcome[] | undefined> {
  const w = ensureWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Only unsettled requests keep the process alive, as any I/O would.
    w.ref();
    w.postMessage({ ...msg, id } as ToWriter);
  }).finally(() => {
    if (!pending.size && worker) worker.unref();
  }) as Promise<Outcome[] | undefined>;
}

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
      return (await send({ type: 'batch', file, items }))!;
    },
    async close() {
      if (used && worker) await send({ type: 'close', file }).catch(() => {});
    },
  };
}

/** Stops the writer thread (its pending callers are told); the next write starts a new one. */
export async function stopWriterThread(): Promise<void> {
  const w = worker;
  if (w) await w.terminate();
}
