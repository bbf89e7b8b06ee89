// The mail worker (a piscina worker thread, see mail-pool.ts): reads a
// message and checks its SPF/DKIM/DMARC, off the thread that answers
// requests. Each task first tells the pool it has started, so that its time
// limit counts from here.
import { parentPort } from 'node:worker_threads';
import { readInbound, type InboundOptions, type InboundResult } from '../mail/index.ts';
import type { AuthSummary } from '../db/repositories/inbound.ts';
import type { AuthInput } from './auth.ts';
import { taskBytes, type TaskInput } from './mail-pool.ts';
import { withoutNul, type Checked } from './options.ts';

function started(id: number, phase?: string): void {
  parentPort?.postMessage(phase ? { started: id, phase } : { started: id });
}

export async function read(input: TaskInput<{ opts: InboundOptions }>): Promise<InboundResult> {
  const raw = taskBytes(input);
  started(input.id);
  return withoutNul(await readInbound(raw, input.opts));
}

/**
 * A received message in one trip to the worker: its reading and, when it
 * could be read and `auth` is given, its SPF/DKIM/DMARC check, whose time
 * limit starts anew.
 */
export async function receive(input: TaskInput<{ opts: InboundOptions; auth: Omit<AuthInput, 'upstream'> | null }>): Promise<Checked> {
  const raw = taskBytes(input);
  const check = input.auth ? (await import('./sender-auth.ts')).authenticateHere : null;
  started(input.id, 'read');
  const read = withoutNul(await readInbound(raw, input.opts));
  if (!check || !input.auth || !read.ok) return { read };
  started(input.id, 'auth');
  return { read, auth: await check(raw, { ...input.auth, upstream: read.authResultsHeader ?? null }) };
}

export async function auth(input: TaskInput<{ input: AuthInput }>): Promise<AuthSummary> {
  const raw = taskBytes(input);
  // mailauth takes half a second to load: only a worker that checks a message
  // loads it, and before the task's time starts (loading is not the message's doing).
  const { authenticateHere } = await import('./sender-auth.ts');
  started(input.id);
  return authenticateHere(raw, input.input);
}
