// An event processor: what happens after a change to a letter, outside the
// change's own transaction but exactly once. The change records an event and
// queues it (db/repositories/events.ts); the dispatcher later runs each
// processor that handles the event's action, inside a transaction of its own
// that also marks the processor done for that event.
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import type { LetterEvent } from '../db/repositories/events.ts';
import type { Letter } from '../db/repositories/letters.ts';
import type { Round } from '../db/round.ts';

/** The event, with its letter as it is now (null when it was since deleted), and what its round shares. */
export type EventToProcess = LetterEvent & { letter: Letter | null; round: Round };

export type Processor = {
  /** Stable: kept in the queue to remember which processors already ran for an event. */
  readonly name: string;
  /** The event actions it handles (`received`, `publish`, …). */
  readonly on: readonly string[];
  /**
   * Does the work with `trx`, which commits it together with the mark that
   * this processor is done for this event. Writes only: anything that talks
   * to the outside world (mail, webhooks) is queued here and sent by a job.
   */
  process(ctx: AppContext, trx: Trx, event: EventToProcess): Promise<void>;
  /**
   * For a processor that keeps state in memory (screening's indexes): runs a
   * round of the dispatcher alone among the other users of that state. The
   * round takes it before its transaction, never inside it, because a user
   * of the state may be waiting for the database.
   */
  guard?<T>(ctx: AppContext, work: () => Promise<T>): Promise<T>;
  /**
   * False while the processor cannot work yet (screening's campaign index is
   * still being read at start): its events wait in the queue, a second at a
   * time, without an attempt counted, while the other processors and the
   * rest of the round go on. Asked before each round; may start the
   * preparation it waits for, and answers true or when to ask again.
   */
  ready?(ctx: AppContext): true | Promise<unknown>;
  /** Called when its work was rolled back: a processor that keeps state in memory (screening's indexes) forgets it. */
  onRollback?(ctx: AppContext): void;
};
