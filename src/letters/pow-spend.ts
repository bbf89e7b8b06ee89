// Spending a solved proof-of-work challenge: each is good for one letter.
// A write command, so that on the embedded database it is committed by the
// writer thread with the letters around it, instead of making the queue stop
// the writer for a transaction of its own on the thread that serves requests.
import { spendPow } from '../db/repositories/pow.ts';
import { writeCommand } from '../writes/commands.ts';

/** True when the solution was unspent and is now spent. */
export const spendPowSolution = writeCommand('pow.spend', (ctx, trx, { signature, expiresAt }: { signature: string; expiresAt: Date }) => spendPow(ctx.db, trx, signature, expiresAt));
