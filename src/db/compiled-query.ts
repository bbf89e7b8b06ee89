// Queries built and compiled by Kysely once per dialect, then only run with
// new arguments. Building and compiling a small select costs about ten times
// more than running it on the embedded database, and intake runs a few per
// letter (its writer, its article, an earlier answer, the webhooks).
// `build` receives a stand-in for each argument; each stand-in must come out
// of Kysely unchanged as one of the query's parameters, which the first
// compile checks. So arguments are scalars compared or inserted as they are
// (not lists, not values Kysely turns into SQL).
import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './connect.ts';
import type { Reader, Trx } from './executor.ts';
import type { DialectName } from './dialect.ts';

type Slot = { arg: number } | { value: unknown };
type Compiled = { sql: string; slots: Slot[] };

const standIn = (i: number) => `\u0000compiled-query-argument-${i}\u0000`;

export function compiledQuery<A extends unknown[], R>(build: (k: Reader, ...args: A) => Compilable<R>, arity: A['length']) {
  const byDialect = new Map<DialectName, Compiled>();

  function compile(db: Db): Compiled {
    const standIns = Array.from({ length: arity }, (_, i) => standIn(i)) as A;
    const q = build(db.read, ...standIns).compile();
    const slots: Slot[] = q.parameters.map((p) => {
      const arg = standIns.indexOf(p);
      return arg >= 0 ? { arg } : { value: p };
    });
    for (let i = 0; i < arity; i++)
      if (!slots.some((s) => 'arg' in s && s.arg === i)) throw new Error(`compiledQuery: argument ${i} is not a parameter of "${q.sql}"`);
    return { sql: q.sql, slots };
  }

  /** Runs the query on `ex` (the database or a transaction) and returns its rows. */
  return async (db: Db, ex: Reader, ...args: A): Promise<R[]> => {
    let c = byDialect.get(db.dialect.name);
    if (!c) byDialect.set(db.dialect.name, (c = compile(db)));
    const params = c.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return (await ex.executeQuery<R>(CompiledQuery.raw(c.sql, params))).rows;
  };
}
