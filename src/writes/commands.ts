// Named writes. A write command is a transaction body registered under a
// name, so that it can run where the database writes fastest: in the writer
// thread on the embedded database (off the thread that serves HTTP; see
// src/db/writer-thread.ts), or in-process on PostgreSQL. Either way it runs
// inside the durable group commit and its caller hears "done" only after the
// commit is on disk.
// A command's arguments and result cross a thread boundary: plain data only
// (structured clone: objects, arrays, strings, numbers, Dates).
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';

export type WriteCommand<A, R> = (ctx: AppContext, trx: Transaction<Database>, args: A) => Promise<R>;

const commands = new Map<string, WriteCommand<unknown, unknown>>();

/** Registers a command (on import, in the app and in the writer thread alike) and returns its caller. */
export function defineWriteCommand<A, R>(name: string, fn: WriteCommand<A, R>): (ctx: AppContext, args: A) => Promise<R> {
  if (commands.has(name)) throw new Error(`write command "${name}" is defined twice`);
  commands.set(name, fn as WriteCommand<unknown, unknown>);
  return (ctx, args) =>
    ctx.db.writes.command<R>(
      // What the writer thread needs to run it: the command, its arguments and this node's view of the desk.
      { name, args, config: ctx.config, publication: ctx.publication },
      (trx) => fn(ctx, trx, args),
    );
}

export function findWriteCommand(name: string): WriteCommand<unknown, unknown> | undefined {
  return commands.get(name);
}
