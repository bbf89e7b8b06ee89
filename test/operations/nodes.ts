// App nodes as an operator runs them: `letterdesk start` in processes of
// their own, on one test database, each with its HTTP and SMTP ports, and
// stopped by signal (SIGTERM drains, SIGKILL is a crash).
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/ports.ts';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../support/databases.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const LETTERS = 'letters@review.example.com';

export type Node = {
  name: string;
  url: string;
  smtpPort: number;
  process: ChildProcess;
  /** Every line the node wrote (its JSON log). */
  output: string[];
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * Starts a node and waits until /readyz says it takes traffic. `args`: more
 * arguments to `letterdesk start`; `readyWithinMs`: how long it may take
 * (default a minute).
 */
export async function startNode(
  db: Pick<TestDatabase, 'dataDir' | 'databaseUrl'>,
  name: string,
  env: Record<string, string> = {},
  opts: { args?: string[]; readyWithinMs?: number } = {},
): Promise<Node> {
  const [port, smtpPort] = [await freePort(), await freePort()];
  const childEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    SMTP_PORT: String(smtpPort),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LETTERS_ADDRESS: LETTERS,
    LETTERDESK_DATA: db.dataDir,
    LETTERDESK_POW: 'off',
    LETTERDESK_RATE_LIMIT: 'off',
    LETTERDESK_MAIL_DNS: 'off',
    LOG_LEVEL: 'info',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  if (db.databaseUrl) childEnv.DATABASE_URL = db.databaseUrl;
  const child = spawn(process.execPath, [MAIN, 'start', ...(opts.args ?? [])], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (b: Buffer) => output.push(...b.toString().split('\n').filter(Boolean)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyWithinMs ?? 60_000);
  for (;;) {
    const status = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`node ${name} did not become ready:\n${output.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, url, smtpPort, process: child, output, exited };
}

/** A plain letter by email, with a Message-ID of its own (a retry resends the same bytes). */
export function letterMail(n: number, tag: string): Buffer {
  return Buffer.from(
    [
      `From: Reader ${n} <reader${n}.${tag}@example.net>`,
      `To: ${LETTERS}`,
      `Subject: The footbridge, letter ${n}`,
      `Message-ID: <${tag}-${n}@example.net>`,
      `Date: ${new Date().toUTCString()}`,
      '',
      `Letter ${n} (${tag}): the harbour footbridge is overdue, and the council owes the east bank a timetable it will keep.`,
      '',
    ].join('\r\n'),
  );
}
