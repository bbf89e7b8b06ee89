// A writer's contact details and who verified them, how and when.
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

export async function recordVerification(
  db: Db,
  ex: Trx,
  writerId: string,
  v: { how: string; by: string; at: Date; phone?: string; postalAddress?: string },
): Promise<void> {
  const set: Record<string, unknown> = { verified_how: v.how, verified_by: v.by, verified_at: db.dialect.time(v.at), updated_at: db.dialect.time(new Date()) };
  if (v.phone !== undefined) set.phone = v.phone || null;
  if (v.postalAddress !== undefined) set.postal_address = v.postalAddress || null;
  await ex.updateTable('writers').set(set).where('id', '=', writerId).execute();
}

/** Marks the writer verified by email unless someone already verified them (a phone check outranks the link). */
export async function verifyByEmailIfUnverified(db: Db, ex: Trx, writerId: string, at: Date): Promise<void> {
  await ex
    .updateTable('writers')
    .set({ verified_how: 'email', verified_by: 'writer (confirmation link)', verified_at: db.dialect.time(at), updated_at: db.dialect.time(new Date()) })
    .where('id', '=', writerId)
    .where('verified_at', 'is', null)
    .execute();
}
