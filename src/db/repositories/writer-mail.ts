// What publishing needs to write to a writer: their address (unless erased)
// and the Message-IDs of the conversation so far, for threading.
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import { appendedNow } from '../batch.ts';

/** A writer's address and name as stored; `erased`: mail must not go to it. */
export type WriterContact = { email: string; name: string; erased: boolean };

/** Where to write to a writer: null when they were erased (or are gone). */
export async function writerAddress(db: Db, ex: Reader, writerId: string): Promise<{ email: string; name: string } | null> {
  const c = (await writerContacts(db, ex, [writerId])).get(writerId);
  return c && !c.erased ? { email: c.email, name: c.name } : null;
}

/** Several writers' contacts in one read (the event processors' round). */
export async function writerContacts(db: Db, ex: Reader, writerIds: string[]): Promise<Map<string, WriterContact>> {
  if (!writerIds.length) return new Map();
  const rows = await ex.selectFrom('writers').select(['id', 'email', 'name', 'erased_at']).where('id', 'in', writerIds).execute();
  return new Map(rows.map((r) => [r.id, { email: r.email, name: r.name, erased: !!r.erased_at }]));
}

/** Message-IDs already exchanged about a letter, oldest first (the desk's own mail). */
export async function letterThread(db: Db, ex: Reader, letterId: string): Promise<string[]> {
  await appendedNow(ex, 'outbox');
  const rows = await ex.selectFrom('outbox').select('message_id').where('letter_id', '=', letterId).orderBy('id').limit(20).execute();
  return rows.map((r) => r.message_id);
}

/** Letters still waiting (new or shortlisted) since before `before` whose writer has not had a mail of `kind`. */
export async function waitingWithoutNotice(db: Db, before: Date, kind: string, limit: number): Promise<string[]> {
  const rows = await db.read
    .selectFrom('letters')
    .select('letters.id')
    .where('letters.status', 'in', ['new', 'shortlisted'])
    .where('letters.created_at', '<', db.dialect.time(before))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('outbox').select('outbox.id').whereRef('outbox.letter_id', '=', 'letters.id').where('outbox.kind', '=', kind))))
    .orderBy('letters.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
