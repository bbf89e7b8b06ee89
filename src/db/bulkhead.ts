// A bulkhead in the main thread's PostgreSQL pool: intake (letters and mail
// on their way in, util/scope.ts) may hold at most `max` of its connections
// at once, so however many letters pour in, the rest stay free for the desk's
// reads and /healthz. Without it, a desk read asked for a connection behind
// every intake lookup already waiting for one (pg's pool serves in order).
// As with the pool itself, a holder must not wait for a second connection
// (inside a write, use its transaction: docs/architecture.md).
// Kysely asks the pool for a client per query (or transaction) and releases
// it after; an intake caller waits here for a permit first, then for a client.
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { inIntake } from '../util/scope.ts';

export function bulkheadPool(pool: pg.Pool, max: number): PostgresPool {
  let held = 0;
  const waiting: (() => void)[] = [];

  const free = () => {
    const next = waiting.shift();
    // Handed straight to the next intake caller: `held` stays the same.
    if (next) next();
    else held--;
  };

  return {
    async connect(): Promise<PostgresPoolClient> {
      if (!inIntake()) return pool.connect() as unknown as Promise<PostgresPoolClient>;
      if (held < max) held++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        free();
        throw err;
      }
      // pg's pool gives a client a new release function at each checkout: wrap this one, to free the permit with it.
      const release = client.release.bind(client);
      let freed = false;
      client.release = (destroy?: boolean | Error) => {
        if (!freed) {
          freed = true;
          free();
        }
        release(destroy);
      };
      return client as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
