// What the retention policy removes (src/operations/retention.ts decides
// when). Each removal works in batches, each its own short transaction, so
// that a first run over years of data does not hold the write queue.
import type { Db } from '../connect.ts';
import { deleteLetterRow, removeLetterTraces } from './writer-data.ts';

const BATCH = 500;

/** Runs `batch` until it removes fewer than BATCH; returns the total it removed. */
async function inBatches(batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch();
    total += n;
    if (n < BATCH) return total;
  }
}

const count = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }) => Number(r.numDeletedRows ?? r.numUpdatedRows ?? 0n);

/**
 * Declined letters last changed before `cutoff`, with everything kept beside
 * them (history, raw mail, screening records, mail to the writer). A letter
 * that was once published keeps its public record and is not removed.
 */
export async function deleteDeclinedLetters(db: Db, cutoff: Date): Promise<number> {
  return inBatches(() =>
    db.writes.run(async (trx) => {
      const ids = await trx
        .selectFrom('letters')
        .select('id')
        .where('status', '=', 'declined')
        .where('updated_at', '<', db.dialect.time(cutoff))
        .where('published_at', 'is', null)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      for (const { id } of ids) {
        await removeLetterTraces(db, trx, id);
        await deleteLetterRow(db, trx, id);
      }
      return ids.length;
    }),
  );
}

/** Marks raw mail that has been removed (src/inbound/raw.ts reads it): the row stays, it records that the message arrived and what it became. */
const PRUNED = 'pruned';

/**
 * The raw mail behind letters and replies that arrived before `cutoff`: the
 * letter keeps its text; the headers and the original message go. Mail still
 * waiting (received) or quarantined for an operator is kept.
 */
export async function pruneRawMail(db: Db, cutoff: Date): Promise<number> {
  return inBatches(() =>
    db.writes.run(async (trx) => {
      const ids = await trx
        .selectFrom('inbound_messages')
        .select('id')
        .where('status', 'in', ['letter', 'thread_reply'])
        .where('compression', '!=', PRUNED)
        .where('received_at', '<', db.dialect.time(cutoff))
        .limit(BATCH)
        .execute();
      if (!ids.length) return 0;
      await trx
        .updateTable('inbound_messages')
        .set({ raw: new Uint8Array(0), compression: PRUNED })
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .execute();
      return ids.length;
    }),
  );
}

/** Mail in the system tray that arrived before `cutoff`. */
export async function deleteTrayMail(db: Db, cutoff: Date): Promise<number> {
  return inBatches(async () =>
    count(
      await db.writes.run((trx) =>
        trx
          .deleteFrom('inbound_messages')
          .where('id', 'in', (eb) => eb.selectFrom('inbound_messages').select('id').where('status', '=', 'tray').where('received_at', '<', db.dialect.time(cutoff)).limit(BATCH))
          .executeTakeFirst(),
      ),
    ),
  );
}

/** Background jobs finished (done or given up) before `cutoff`. */
export async function deleteFinishedJobs(db: Db, cutoff: Date): Promise<number> {
  return inBatches(async () =>
    count(
      await db.writes.run((trx) =>
        trx
          .deleteFrom('jobs')
          .where('id', 'in', (eb) => eb.selectFrom('jobs').select('id').where('done_at', '<', db.dialect.time(cutoff)).limit(BATCH))
          .executeTakeFirst(),
      ),
    ),
  );
}

/** Desk sessions that expired before `cutoff`. */
export async function deleteExpiredSessions(db: Db, cutoff: Date): Promise<number> {
  const r = await db.writes.run((trx) => trx.deleteFrom('sessions').where('expires_at', '<', db.dialect.time(cutoff)).executeTakeFirst());
  return count(r);
}
