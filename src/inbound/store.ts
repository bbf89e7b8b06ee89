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
  /** Settled at once (quarantine, tray); null when intake follows, with `retryAt` as the safety net. */
  final: Decision | null;
  retryAt: Date;
};

export const storeInbound = writeCommand('inbound.store', async (ctx, trx, { message, final, retryAt }: StoreInbound): Promise<void> => {
  // Nothing here reads its rows back: a batch's messages and jobs go in together at its end (the SMTP spool's burst: two statements, not two a message).
  allowAppendsAtBatchEnd(trx);
  // Settled at once: stored with its outcome, one write.
  await insertInbound(ctx.db, trx, message, final ? { ...final, letterId: null } : undefined);
  // The safety net: if settling fails and the sender never retries, this finishes the job.
  if (!final) await enqueueJob(ctx.db, trx, 'process_inbound', { id: message.id }, retryAt);
});
