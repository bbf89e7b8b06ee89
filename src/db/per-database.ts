// What a module keeps for each opened database (its caches, its gathered
// writes), made on first use: one process may open several (tests, two
// nodes in one process), and each must have its own.
import type { Db } from './connect.ts';

/** `make`'s value for a database, made the first time it is asked for and kept as long as the database. */
export function perDatabase<T>(make: (db: Db) => T): (db: Db) => T {
  const kept = new WeakMap<Db, T>();
  return (db) => {
    let value = kept.get(db);
    if (value === undefined) kept.set(db, (value = make(db)));
    return value;
  };
}
