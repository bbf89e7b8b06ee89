// SMTP answers once a message is stored and reads it afterwards
// (src/inbound/spool.ts): what tests need to follow a message from its 250.
import type { TestApp } from './app.ts';
import { listInbound } from '../../src/db/repositories/inbound.ts';

/**
 * Runs a desk's background jobs until no stored message waits to be read
 * (SMTP answers before reading: src/inbound/spool.ts); throws when some
 * still wait (a job failed and waits out its retry).
 */
export async function readSpooled(app: TestApp): Promise<void> {
  for (let round = 0; round < 20 && (await spooled(app)) > 0; round++) await app.desk.background.runJobs();
  const left = await spooled(app);
  if (left > 0) throw new Error(`${left} stored message(s) still wait to be read: their jobs failed (see the jobs' last_error)`);
}

/** Messages stored but not read yet. */
async function spooled(app: TestApp): Promise<number> {
  return (await listInbound(app.ctx.db, { status: ['received'], limit: 1000 })).length;
}

/** The stored message's id in a 250 answer ("queued as …", "already received as …"). */
export function inboundIdOf(response: string): string {
  const m = /(?:queued|already received) as (\S+)/.exec(response);
  if (!m) throw new Error(`no message id in the answer: ${response}`);
  return m[1]!;
}
