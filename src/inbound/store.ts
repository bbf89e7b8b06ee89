// Storing a received message (its raw bytes, envelope and first verdict) is a
// write command: on the embedded database the writer thread commits it with
// the letters around it, instead of the queue stopping the writer for a
// transaction of its own on the thread that reads mail.
import { enqueueJob } from '../db/repositories/jobs.ts';
import { insertInbound, type NewInbound } from '../db/repositories/inbound.ts';
import { writeCommand } from '../writes/commands.ts';
import { allowAppendsAtBatchEnd } from '../db/batch.ts';
import type { Decision } from './settle.ts';

export type StoreInbound = {
  message: NewInbound;
  /** Settled at once (quarantine, tray); null when it is still to be read (the SMTP spool), by a `process_inbound` job due at `readAt`. */
  final: Decision | null;
  readAt: Date;
};

/**
 * The `process_inbound` job's attempts (its backoff doubles from 5 s and
 * tops out at an hour). It never gives up while its message waits: from
 * `quarantineAt` a failure of the message's own (anything but the desk being
 * busy: the mail workers, the database shedding) quarantines it with the
 * reason; from `anyFaultAt` (about a month on) any failure does (spool.ts).
 * `most`, the job's attempts at most, is the largest the column holds.
 */
export const READING_ATTEMPTS = { quarantineAt: 10, anyFaultAt: 24 * 30, most: 2_147_483_647 };

/**
 * Messages up to this size go in with the batch's others at its end, in one
 * statement; a larger one goes in by itself. A batch (200 writes at most)
 * of such messages, stored as they came, is then a statement of 50 MiB at
 * most, where 10 MB messages would have made one of gigabytes.
 */
const APPENDED_UP_TO_BYTES = 256 * 1024;

export const storeInbound = writeCommand('inbound.store', async (ctx, trx, { message, final, readAt }: StoreInbound): Promise<void> => {
  // Nothing here reads its rows back: a batch's messages and jobs go in together at its end (the SMTP spool's burst: two statements, not two a message).
  if (message.raw.byteLength <= APPENDED_UP_TO_BYTES) allowAppendsAtBatchEnd(trx);
  // Settled at once: stored with its outcome, one write.
  await insertInbound(ctx.db, trx, message, final ? { ...final, letterId: null } : undefined);
  if (!final) await enqueueJob(ctx.db, trx, 'process_inbound', { id: message.id }, readAt, READING_ATTEMPTS.most);
});
