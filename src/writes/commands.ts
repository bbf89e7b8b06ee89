// Named writes. A write command is a transaction body with a name, whose
// arguments and result are plain data, so that it can run in the writer
// thread (src/db/writer-thread.ts), off the thread that serves requests,
// with the other writes that arrive meanwhile. Its caller hears "done" only
// once the transaction holding it is durable. Every command is listed in
// registry.ts, where the writer thread finds it by name.
import { deskContext, type AppContext } from '../context.ts';
import type { Trx } from '../db/executor.ts';

export type WriteCommand<A, R> = {
  readonly name: string;
  /** Writes only (a batch that fails may run again), with the transaction it is given. */
  readonly body: (ctx: AppContext, trx: Trx, args: A) => Promise<R>;
};

export function writeCommand<A, R>(name: string, body: (ctx: AppContext, trx: Trx, args: A) => Promise<R>): WriteCommand<A, R> {
  return { name, body };
}

/** Runs a command where the database's writes run (the writer thread); resolves once it is durable. */
export function runCommand<A, R>(ctx: AppContext, command: WriteCommand<A, R>, args: A): Promise<R> {
  const problem = notPlainData(args);
  if (problem) return Promise.reject(new Error(`write command "${command.name}": its arguments must be plain data (${problem})`));
  return ctx.db.writes.command<R>(command.name, args, deskContext(ctx));
}

/**
 * Why a value cannot cross to another thread as it is, or null: only
 * primitives, dates, byte arrays, arrays and plain objects may (a class
 * instance would arrive as a bare object, a function not at all).
 */
export function notPlainData(value: unknown, at = 'args', depth = 0): string | null {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return null;
  if (type !== 'object') return `${at} is a ${type}`;
  if (value instanceof Date || value instanceof Uint8Array) return null;
  if (depth > 50) return `${at} is nested too deep`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = notPlainData(value[i], `${at}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `${at} is a ${(value as object).constructor?.name ?? 'class instance'}`;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = notPlainData(v, `${at}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}
