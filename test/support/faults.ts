// Faults a test needs from the database itself.
import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';

/**
 * Runs `fn` while the database refuses to store any letter with this
 * Message-ID ("this letter is refused"): a fault in what a message becomes,
 * met by every delivery and every retry of it. The refusal is taken away
 * afterwards, whatever `fn` did.
 */
export async function whileLettersRefused<T>(db: Db, messageId: string, fn: () => Promise<T>): Promise<T> {
  const postgres = db.dialect.name === 'postgres';
  const id = sql.lit(messageId);
  await db.writes.run(async (trx) => {
    if (!postgres) return void (await sql`create trigger refuse_letter before insert on letters when new.message_id = ${id} begin select raise(abort, 'this letter is refused'); end`.execute(trx));
    await sql`create function refuse_letter() returns trigger language plpgsql as $$ begin if new.message_id = ${id} then raise exception 'this letter is refused'; end if; return new; end $$`.execute(trx);
    await sql`create trigger refuse_letter before insert on letters for each row execute function refuse_letter()`.execute(trx);
  });
  try {
    return await fn();
  } finally {
    await db.writes.run(async (trx) => {
      await sql`drop trigger refuse_letter${postgres ? sql` on letters` : sql``}`.execute(trx);
      if (postgres) await sql`drop function refuse_letter()`.execute(trx);
    });
  }
}
