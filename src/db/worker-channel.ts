// A request/answer channel to one worker thread, shared by the embedded
// database's two helper threads (the writer and the checkpointer). The
// worker starts on first use, keeps the process alive only while a request
// is unanswered, and is started again on the next request if it dies.
import { Worker } from 'node:worker_threads';

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

/** What a worker answers: every request carries an id, every answer the same id. */
export type Answer<T> = { id: number; ok: true; value?: T } | { id: number; ok: false; error: ErrorData };

type Pending = { resolve(v: unknown): void; reject(e: unknown): void };

export type WorkerChannel<Req, Res> = {
  send(msg: Req): Promise<Res>;
  /** Whether the worker is up (closing a file needs no new worker). */
  running(): boolean;
  /** Stops the worker (its pending callers are told); the next request starts a new one. */
  stop(): Promise<void>;
};

/**
 * `what` names the thread in errors ("the database writer"); `onNotice`
 * receives what the worker sends unasked (messages without an id: log lines).
 */
export function workerChannel<Req extends object, Res>(entry: URL, what: string, onNotice?: (m: unknown) => void): WorkerChannel<Req, Res> {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function ensureWorker(): Worker {
    if (worker) return worker;
    const w = new Worker(entry);
    w.unref();
    w.on('message', (m: Answer<Res>) => {
      if (typeof m.id !== 'number') return onNotice?.(m);
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(errorFromData(m.error));
    });
    const fail = (err: Error) => {
      // A worker that died mid-transaction committed nothing of it: SQLite
      // rolls it back. Its callers are told so; the next request starts a new worker.
      if (worker === w) worker = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(err);
      }
    };
    w.on('error', (err) => fail(new Error(`${what} stopped: ${err.message}`)));
    w.on('exit', (code) => fail(new Error(`${what} exited (code ${code})`)));
    worker = w;
    return w;
  }

  return {
    send(msg) {
      const w = ensureWorker();
      const id = nextId++;
      return new Promise<Res>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        // Only unanswered requests keep the process alive, as any I/O would.
        w.ref();
        w.postMessage({ ...msg, id });
      }).finally(() => {
        if (!pending.size && worker) worker.unref();
      });
    },
    running: () => worker !== null,
    async stop() {
      const w = worker;
      if (w) await w.terminate();
    },
  };
}
