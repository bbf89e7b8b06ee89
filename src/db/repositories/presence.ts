// Who has a letter open on the desk: each open letter view says so every few
// seconds (a heartbeat), and a row older than PRESENCE_TTL_MS no longer
// counts. In the database rather than in memory, so that editors served by
// different nodes see each other.
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

/** A heartbeat is sent every 10 s; three missed ones and the editor has gone. */
export const PRESENCE_TTL_MS = 30_000;

export type Presence = { userId: string; name: string; editing: boolean; seenAt: Date };

export async function touchPresence(db: Db, trx: Trx, p: { letterId: string; userId: string; name: string; editing: boolean; at: Date }): Promise<void> {
  const m = db.dialect;
  await trx
    .insertInto('letter_presence')
    .values({ letter_id: p.letterId, user_id: p.userId, user_name: p.name, editing: m.bool(p.editing), seen_at: m.time(p.at) })
    .onConflict((oc) => oc.columns(['letter_id', 'user_id']).doUpdateSet({ user_name: p.name, editing: m.bool(p.editing), seen_at: m.time(p.at) }))
    .execute();
  // Rows of editors long gone (a closed laptop sends no goodbye).
  await trx.deleteFrom('letter_presence').where('seen_at', '<', m.time(new Date(p.at.getTime() - 10 * PRESENCE_TTL_MS))).execute();
}

export async function leavePresence(db: Db, trx: Trx, letterId: string, userId: string): Promise<void> {
  await trx.deleteFrom('letter_presence').where('letter_id', '=', letterId).where('user_id', '=', userId).execute();
}

/** Who else has the letter open now, longest first. */
export async function othersPresent(db: Db, letterId: string, userId: string, now: Date, ex: Reader = db.read): Promise<Presence[]> {
  const m = db.dialect;
  const rows = await ex
    .selectFrom('letter_presence')
    .select(['user_id', 'user_name', 'editing', 'seen_at'])
    .where('letter_id', '=', letterId)
    .where('user_id', '<>', userId)
    .where('seen_at', '>=', m.time(new Date(now.getTime() - PRESENCE_TTL_MS)))
    .orderBy('user_name')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, name: r.user_name, editing: m.readBool(r.editing), seenAt: m.readTime(r.seen_at) }));
}
