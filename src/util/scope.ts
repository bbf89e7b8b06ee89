// What the code running now is doing on behalf of, carried through its async
// calls (AsyncLocalStorage): the database's connection pool reads it to keep
// letters coming in from taking every connection the desk reads with
// (db/bulkhead.ts). Only intake is marked; everything else is the desk's.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<'intake'>();

/** Runs `fn` (and everything it starts) as intake: a letter or a message on its way in. */
export function asIntake<T>(fn: () => T): T {
  return scope.run('intake', fn);
}

/** Whether the code running now is intake's. */
export function inIntake(): boolean {
  return scope.getStore() === 'intake';
}
