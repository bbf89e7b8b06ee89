// Spent proof-of-work solutions: each solved challenge is good for one letter.
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

/** Records the solution as spent; false when it had been spent already. (Called by the `pow.spend` write command.) */
export async function spendPow(db: Db, ex: Trx, signature: string, expiresAt: Date): Promise<boolean> {
  const r = await ex
    .insertInto('pow_spent')
    .values({ signature, expires_at: db.dialect.time(expiresAt) })
    .onConflict((oc) => oc.column('signature').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Forgets solutions whose challenge has expired (an expired one is refused anyway); returns how many. */
export async function pruneSpentPow(db: Db, now: Date): Promise<number> {
  const r = await db.writes.run((trx) => trx.deleteFrom('pow_spent').where('expires_at', '<', db.dialect.time(now)).executeTakeFirst());
  return Number(r.numDeletedRows ?? 0n);
}
