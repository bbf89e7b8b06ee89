// The writer thread, seen from the main thread. For each database this
// process opens, the writer thread holds the connection that runs the write
// commands (intake, proof of work, received mail: writes/commands.ts) and the
// background work that writes (event processors and jobs), so that neither
// executes statements on the thread that serves requests (node:sqlite is
// synchronous, and PostgreSQL's protocol costs the main thread too). Commands
// sent in one turn of the event loop travel as one message, and each caller
// hears its own outcome once the transaction holding its command is durable.
// One writer thread serves every database this process opens (tests open
// many); it starts on first use and does not keep the process alive.
import type { Outcome } from './batch.ts';
import type { Config } from '../config/index.ts';
import { admission } from '../util/admission.ts';
import type { Busy } from '../util/busy.ts';
import type { WriteFlag } from './write-lock.ts';
import { errorFromData, workerChannel, type ErrorData } from './worker-channel.ts';

/** Which database, and how the writer thread opens it. */
export type DbRef = { key: string; databaseUrl: string | null; file: string | null; flag: WriteFlag | null };
/** What a command or the background needs of this node's view of the desk: plain data. */
export type DeskContext = { config: unknown; publication: unknown; logLevel?: string };
/** Intervals (ms) at which the background runs each kind of work there; null stops it, absent leaves it. */
export type BackgroundPlan = { events?: number | null; jobs?: number | null };
export type DrainWhat = 'events' | 'jobs';

export type ToWriter =
  | { type: 'commands'; id: number; db: DbRef; context: DeskContext; items: { name: string; args: unknown }[] }
  | { type: 'background'; id: number; db: DbRef; context: DeskContext; plan: BackgroundPlan }
  | { type: 'drain'; id: number; db: DbRef; context: DeskContext; what: DrainWhat }
  | { type: 'context'; id: number; db: DbRef; context: DeskContext }
  | { type: 'report'; id: number; db: DbRef; context: DeskContext }
  | { type: 'close'; id: number; db: DbRef };
/**
 * How the background there is doing: when its event processors and its job
 * runner last finished a round (null: not running, or no round yet), and its
 * metrics (prom-client's JSON form).
 */
export type BackgroundReport = { events: number | null; jobs: number | null; metrics: unknown[] };
/** Outcomes of commands (errors as plain data), how many events or jobs a drain took, or a report. */
export type WriterAnswer = (Outcome & { error?: ErrorData })[] | number | BackgroundReport | undefined;
/** What the writer thread tells unasked: a log line for one database's logger, or that it committed to one database file (time for a checkpoint). */
export type Notice = { type: 'log'; key: string; line: string } | { type: 'committed'; key: string };

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

const logSinks = new Map<string, (line: string) => void>();
const commitSinks = new Map<string, () => void>();
const channel = workerChannel<Unsent<ToWriter>, WriterAnswer>(new URL('../writes/writer-worker.ts', import.meta.url), 'the database writer', (m) => {
  const n = m as Notice;
  if (n?.type === 'log') logSinks.get(n.key)?.(n.line);
  else if (n?.type === 'committed') commitSinks.get(n.key)?.();
});

export type WriterThread = {
  /** Why a write command sent now would be refused (load shedding), or null: for a door that refuses before costly work. */
  wouldShed(context: DeskContext): Busy | null;
  /** Runs a write command there; resolves with its result once durable. */
  command<T>(name: string, args: unknown, context: DeskContext): Promise<T>;
  /** Starts (or stops) the event processors and the jobs of this database there. */
  background(context: DeskContext, plan: BackgroundPlan): Promise<void>;
  /** Runs the event processors (or the due jobs) there until none is due; returns how many it took. */
  drain(context: DeskContext, what: DrainWhat): Promise<number>;
  /** How the background there is doing, and its metrics. */
  report(context: DeskContext): Promise<BackgroundReport>;
  /** Tells the background of a changed publication (settings) or configuration. */
  setContext(context: DeskContext): Promise<void>;
  /** Where the writer thread's log lines for this database go (the app's logger). */
  logTo(write: (line: string) => void): void;
  /** Called when the writer thread has committed (and synced) writes to this database. */
  onCommitted(fn: () => void): void;
  close(): Promise<void>;
};

/**
 * Load shedding (util/admission.ts): every write command is a client waiting
 * (a letter, a received message, proof of work). A command is refused at once
 * when this node has `writeQueueLimit` waiting, or when the oldest has waited
 * over a second: half the 2 s a writer should wait at most (issue 14), so
 * that those let in are answered within it. The HTTP doors shed earlier, by
 * the same rule over the whole request (server/http.ts); this covers SMTP.
 */
const MAX_WAIT_MS = 1000;
const MIN_SHED = 32;

export function writerThread(db: DbRef): WriterThread {
  let used = false;
  const door = admission({ limit: 512, maxWaitMs: MAX_WAIT_MS, minimum: MIN_SHED, what: 'letters and messages' });
  // The commands of this turn, sent together once it ends.
  let turn: { context: DeskContext; items: { name: string; args: unknown }[]; callers: { resolve(v: unknown): void; reject(e: unknown): void }[] } | null = null;

  function flush(): void {
    const t = turn;
    // A turn sent early (the view of the desk changed within it) leaves an immediate with nothing to send.
    if (!t) return;
    turn = null;
    channel.send({ type: 'commands', db, context: t.context, items: t.items }).then(
      (answer) => {
        const outcomes = answer as (Outcome & { error?: ErrorData })[];
        t.callers.forEach((c, i) => {
          const o = outcomes[i]!;
          if (o.ok) c.resolve(o.value);
          else c.reject(errorFromData(o.error as ErrorData));
        });
      },
      // The batch failed as a whole (or the thread died): nothing of it is stored.
      (err) => t.callers.forEach((c) => c.reject(err)),
    );
  }

  const limitOf = (context: DeskContext) => (context.config as Partial<Config> | undefined)?.writeQueueLimit;
  return {
    wouldShed: (context) => door.wouldRefuse(limitOf(context)),
    command<T>(name: string, args: unknown, context: DeskContext) {
      used = true;
      let ticket: number;
      try {
        ticket = door.enter(limitOf(context));
      } catch (err) {
        return Promise.reject(err);
      }
      const answered = () => door.leave(ticket);
      return new Promise<T>((resolve, reject) => {
        // Commands of one turn share a message; they carry this node's view of the desk once.
        if (turn && (turn.context.config !== context.config || turn.context.publication !== context.publication)) flush();
        if (!turn) {
          turn = { context, items: [], callers: [] };
          setImmediate(flush);
        }
        turn.items.push({ name, args });
        turn.callers.push({
          resolve: (v) => {
            answered();
            resolve(v as T);
          },
          reject: (e) => {
            answered();
            reject(e);
          },
        });
      });
    },
    async background(context, plan) {
      used = true;
      await channel.send({ type: 'background', db, context, plan });
    },
    async drain(context, what) {
      used = true;
      return (await channel.send({ type: 'drain', db, context, what })) as number;
    },
    async report(context) {
      used = true;
      return (await channel.send({ type: 'report', db, context })) as BackgroundReport;
    },
    async setContext(context) {
      if (used && channel.running()) await channel.send({ type: 'context', db, context });
    },
    logTo(write) {
      logSinks.set(db.key, write);
    },
    onCommitted(fn) {
      commitSinks.set(db.key, fn);
    },
    async close() {
      if (used && channel.running()) await channel.send({ type: 'close', db }).catch(() => {});
      logSinks.delete(db.key);
      commitSinks.delete(db.key);
    },
  };
}

/** Stops the writer thread (its pending callers are told); the next use starts a new one. */
export function stopWriterThread(): Promise<void> {
  return channel.stop();
}
