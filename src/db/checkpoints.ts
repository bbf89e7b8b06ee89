// Checkpoints for the embedded database, in a thread of their own.
// SQLite normally checkpoints inside the commit that grows the log past 1,000
// pages: that commit copies the log into the database file and fsyncs it, on
// the thread that committed. Under load that was one commit in ten taking 5 to
// 14 ms on the writer thread (60% of its time in COMMIT), and on the main
// thread it would stall every request. So our connections turn automatic
// checkpoints off (openSqlite) and this thread checkpoints instead, soon
// after commits, at most one at a time and one per CHECKPOINT_INTERVAL_MS.
// The log stays bounded: once a checkpoint has copied all of it, the next
// write starts it again from the beginning.
import { workerChannel } from './worker-channel.ts';

export type CheckpointRequest = { type: 'checkpoint'; file: string } | { type: 'close'; file: string };
export type CheckpointResult = { logFrames: number; copied: number };

const CHECKPOINT_INTERVAL_MS = 100;

const thread = workerChannel<CheckpointRequest, CheckpointResult | undefined>(new URL('./checkpoint-worker.ts', import.meta.url), 'the database checkpointer');

export type Checkpointer = {
  /** Called after each commit; starts a checkpoint unless one ran or is running too recently. */
  afterCommit(): void;
  /** Waits for a running checkpoint and closes this file's connection (the last connection to close checkpoints the rest). */
  close(): Promise<void>;
};

export function checkpointerFor(file: string): Checkpointer {
  let running: Promise<unknown> | null = null;
  let last = 0;
  let used = false;
  let closed = false;

  const checkpoint = async (): Promise<CheckpointResult> => {
    used = true;
    return (await thread.send({ type: 'checkpoint', file }))!;
  };

  return {
    afterCommit() {
      if (closed || running || Date.now() - last < CHECKPOINT_INTERVAL_MS) return;
      // A failed checkpoint (the file busy, say) leaves the frames in the log,
      // where readers still find them; the next one copies them.
      running = checkpoint()
        .catch(() => {})
        .finally(() => {
          running = null;
          last = Date.now();
        });
    },
    async close() {
      closed = true;
      await running;
      if (used && thread.running()) await thread.send({ type: 'close', file }).catch(() => {});
    },
  };
}
