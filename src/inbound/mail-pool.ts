// CPU work on received mail (reading the MIME, extracting attachment text,
// SPF/DKIM/DMARC) runs in a pool of worker threads (piscina), never on the
// thread that answers HTTP and SMTP: a message that makes a parser or mailauth
// work for seconds delays only itself.
//
// Each piece of work has a hard time limit, kept by a timer on this thread
// (which stays free, so the timer fires on time): past it the task is
// aborted, which terminates the worker running it, and the caller gets a
// reason to quarantine the message. The limit counts from when a worker
// starts the task (the worker says so first thing), not from when it was
// queued: a message is never blamed for waiting behind another. A task of
// several parts (reading a message, then checking it) says when each starts,
// and each has the whole limit. Waiting in
// the queue has a bound of its own, and running into it (or into a full
// queue) is the desk's fault, not the message's: that throws
// MailPoolUnavailable, so the sender is told to retry (webhooks: 503), or the
// SMTP spool's job waits it out (it never quarantines a message for it).
//
// The pool is created on first use, starts threads as work arrives (none
// while idle, each ended after 30 s without work) and never keeps the process
// alive: piscina unrefs idle workers. Workers have a heap ceiling, so a
// message that exhausts memory kills its worker, not the desk. They run at
// the desk's own priority: a lower one (piscina's niceIncrement) would let
// other processes starve them, and the time limit is wall-clock time, so an
// innocent message could be stopped; the main thread, asleep between
// requests, is scheduled ahead of busy workers when it wakes anyway.
import os from 'node:os';
import { Piscina } from 'piscina';
import { Busy, inWords } from '../util/busy.ts';

/** `phase`: the part of a task of several parts (each with its own time limit) that was running when it was stopped. */
export type PoolOutcome<T> = { ok: true; value: T } | { ok: false; reason: string; phase?: string };

/** The pool could not take the work (queue full, waited too long, workers failing to start): retry later. */
export class MailPoolUnavailable extends Busy {
  constructor(message: string) {
    // About as long as the queue of messages ahead takes at the time limit; the sender (or the editor) tries again then.
    super(`The message cannot be read just now (${message}); please try again ${inWords(MAIL_POOL_RETRY_S)}.`, MAIL_POOL_RETRY_S);
  }
}
/** Seconds a sender is asked to wait when the mail workers cannot take a message. */
const MAIL_POOL_RETRY_S = 30;

export type MailTask = 'read' | 'receive' | 'auth';

const WORKER = new URL('./mail-worker.ts', import.meta.url);
/** Two threads at least, so one slow message does not hold up the rest; at most four. */
const THREADS = Math.min(4, Math.max(2, os.availableParallelism()));
const QUEUE_LIMIT = 200;
const QUEUE_WAIT_MS = 30_000;
const WORKER_HEAP_MB = 1024;

let pool: Piscina | null = null;
const onStarted = new Map<number, (phase?: string) => void>();
let nextId = 1;

function mailPool(): Piscina {
  if (pool) return pool;
  const p = new Piscina({
    filename: WORKER.href,
    minThreads: 0,
    maxThreads: THREADS,
    idleTimeout: 30_000,
    maxQueue: QUEUE_LIMIT,
    // Tasks are few and heavy; plain messages keep each worker's event loop free between tasks.
    atomics: 'disabled',
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  p.on('message', (m: unknown) => {
    if (m && typeof m === 'object' && typeof (m as { started?: unknown }).started === 'number') {
      const { started, phase } = m as { started: number; phase?: unknown };
      onStarted.get(started)?.(typeof phase === 'string' ? phase : undefined);
    }
  });
  // A worker dying without a task is replaced on the next task; nothing to tell anyone.
  p.on('error', () => {});
  pool = p;
  return p;
}

/**
 * What the worker gets: the task's id (it reports the start with it) and the
 * message's bytes in a shared buffer, which it copies out before it starts.
 */
export type TaskInput<P> = P & { id: number; shared: SharedArrayBuffer; length: number };

/** The message's bytes, copied out of the shared buffer into the worker's own memory. */
export function taskBytes(input: TaskInput<object>): Uint8Array {
  return new Uint8Array(input.shared, 0, input.length).slice();
}

// Handing a message to a worker is a copy. Into fresh memory, a 10 MB copy
// costs this thread tens of milliseconds of page faults (as long as the copy
// takes on a warm buffer, forty times over); so the copies go into shared
// buffers that are kept and used again. A buffer is handed out to one task
// at a time and taken back when the task ends (the worker copies the bytes
// out first thing, so a worker killed later holds nothing).
const MiB = 1024 * 1024;
const KEEP_FREE_BYTES = 64 * MiB;
const free: SharedArrayBuffer[] = [];

function takeBuffer(size: number): SharedArrayBuffer {
  let best = -1;
  for (let i = 0; i < free.length; i++) if (free[i]!.byteLength >= size && (best < 0 || free[i]!.byteLength < free[best]!.byteLength)) best = i;
  if (best >= 0) return free.splice(best, 1)[0]!;
  return new SharedArrayBuffer(Math.max(MiB, Math.ceil(size / MiB) * MiB));
}

function giveBack(b: SharedArrayBuffer): void {
  free.push(b);
  free.sort((x, y) => x.byteLength - y.byteLength);
  let kept = free.reduce((n, x) => n + x.byteLength, 0);
  // Over the cap, the largest go first.
  while (kept > KEEP_FREE_BYTES && free.length) kept -= free.pop()!.byteLength;
}

/**
 * Runs one task on `raw` in the pool. `ok: false` means the message itself
 * was too much (it ran past `timeLimitMs`, or killed its worker); a fault of
 * the pool throws MailPoolUnavailable.
 */
export async function runMailTask<T, P extends object>(task: MailTask, raw: Uint8Array, payload: P, timeLimitMs: number): Promise<PoolOutcome<T>> {
  const id = nextId++;
  // A turn of its own for the copy: the caller has usually just assembled the
  // message (a copy of the same size) in the turn that called us.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const shared = takeBuffer(raw.byteLength);
  new Uint8Array(shared, 0, raw.byteLength).set(raw);
  const abort = new AbortController();
  let running = false;
  let phase: string | undefined;
  let stopped: 'time' | 'queue' | null = null;
  let timer = setTimeout(() => {
    stopped = 'queue';
    abort.abort();
  }, QUEUE_WAIT_MS);
  onStarted.set(id, (part) => {
    running = true;
    phase = part;
    clearTimeout(timer);
    timer = setTimeout(() => {
      stopped = 'time';
      abort.abort();
    }, timeLimitMs);
  });
  try {
    const input: TaskInput<P> = { ...payload, id, shared, length: raw.byteLength };
    const value = (await mailPool().run(input, { name: task, signal: abort.signal })) as T;
    return { ok: true, value };
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/[\r\n]+/g, ' ').slice(0, 200);
    const part = phase === undefined ? {} : { phase };
    if (stopped === 'time') return { ok: false, reason: `took longer than ${(timeLimitMs / 1000).toLocaleString('en')} s and was stopped`, ...part };
    if (stopped === 'queue') throw new MailPoolUnavailable(`mail workers busy: waited ${QUEUE_WAIT_MS / 1000} s for a free worker`);
    if (running) return { ok: false, reason: `stopped the mail worker (${message})`, ...part };
    throw new MailPoolUnavailable(`mail workers unavailable: ${message}`);
  } finally {
    clearTimeout(timer);
    onStarted.delete(id);
    giveBack(shared);
  }
}

/** Ends the pool's threads (a stopping desk, or a test that wants to see them gone); the next task starts a new pool. */
export async function closeMailPool(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.close({ force: true });
}

/** Threads alive now, for tests and metrics. */
export function mailPoolThreads(): number {
  return pool?.threads.length ?? 0;
}
