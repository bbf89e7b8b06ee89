// The writer thread's entry (src/db/writer-thread.ts is its other side). For
// each database the process opens, a host: the writer's connection and write
// queue, this node's view of the desk as the main thread last sent it, and
// the background work that writes: the event processors (src/processors) and
// the jobs (src/jobs), started when the app starts and drained on request.
import { parentPort } from 'node:worker_threads';
import type { Config } from '../config/index.ts';
import type { AppContext } from '../context.ts';
import { openWriterDb } from '../db/connect.ts';
import type { Publication } from '../db/repositories/publication.ts';
import { errorToData } from '../db/worker-channel.ts';
import type { Answer } from '../db/worker-channel.ts';
import type { DbRef, DeskContext, ToWriter, WriterAnswer } from '../db/writer-thread.ts';
import { eventDispatcher, type Dispatcher } from '../events/dispatcher.ts';
import { JOBS } from '../jobs/index.ts';
import { jobRunner, type JobRunner } from '../jobs/runner.ts';
import { createLogger } from '../log/logger.ts';
import { PROCESSORS } from '../processors/index.ts';
import type { Poller } from '../util/poll.ts';
import { commandNamed } from './registry.ts';

type Host = { ctx: AppContext; events: Dispatcher; jobs: JobRunner; running: { events: Poller | null; jobs: Poller | null } };

const hosts = new Map<string, Host>();

function hostFor(ref: DbRef, context: DeskContext): Host {
  let host = hosts.get(ref.key);
  if (!host) {
    const log = createLogger(context.logLevel ?? (context.config as Config).logLevel, { write: (line: string) => void parentPort!.postMessage({ type: 'log', key: ref.key, line }) }).child({ thread: 'writer' });
    // The context is filled in below; commands find it through this closure.
    const ctx = { log } as AppContext;
    let lastNotice = 0;
    const committed = () => {
      // The main thread's checkpointer waits 100 ms between checkpoints anyway.
      const now = Date.now();
      if (now - lastNotice < 100) return;
      lastNotice = now;
      parentPort!.postMessage({ type: 'committed', key: ref.key });
    };
    ctx.db = openWriterDb(ref, (trx, name, args) => commandNamed(name).body(ctx, trx, args), committed);
    host = { ctx, events: eventDispatcher(ctx, PROCESSORS), jobs: jobRunner(ctx, JOBS), running: { events: null, jobs: null } };
    hosts.set(ref.key, host);
  }
  // This node's view of the desk, as the main thread sees it now.
  host.ctx.config = context.config as Config;
  host.ctx.publication = context.publication as Publication;
  return host;
}

async function handle(m: ToWriter): Promise<WriterAnswer> {
  if (m.type === 'close') {
    const host = hosts.get(m.db.key);
    hosts.delete(m.db.key);
    if (host) {
      await host.running.events?.stop();
      await host.running.jobs?.stop();
      await host.ctx.db.close();
    }
    return undefined;
  }
  const host = hostFor(m.db, m.context);
  switch (m.type) {
    case 'commands': {
      // Sent in one turn, queued in one: they commit together.
      const settled = await Promise.allSettled(m.items.map((i) => host.ctx.db.writes.command(i.name, i.args, m.context)));
      return settled.map((s) => (s.status === 'fulfilled' ? { ok: true, value: s.value } : { ok: false, error: errorToData(s.reason) }));
    }
    case 'background': {
      for (const kind of ['events', 'jobs'] as const) {
        const interval = m.plan[kind];
        if (interval === undefined) continue;
        await host.running[kind]?.stop();
        host.running[kind] = interval === null ? null : host[kind].start({ intervalMs: interval });
      }
      return undefined;
    }
    case 'drain':
      return m.what === 'events' ? host.events.drain() : host.jobs.runOnce();
    case 'context':
      return undefined;
  }
}

parentPort!.on('message', (m: ToWriter) => {
  handle(m).then(
    (value) => reply({ id: m.id, ok: true, value }),
    (err) => reply({ id: m.id, ok: false, error: errorToData(err) }),
  );
});

function reply(a: Answer<WriterAnswer>): void {
  try {
    parentPort!.postMessage(a);
  } catch (err) {
    // A result that cannot be cloned is a bug in its command; the batch is committed, so a retry finds its writes.
    parentPort!.postMessage({ id: a.id, ok: false, error: errorToData(err) } satisfies Answer<WriterAnswer>);
  }
}
