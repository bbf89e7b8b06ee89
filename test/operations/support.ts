// Helpers for the operations tests: the `letterdesk` command run as an
// operator runs it (a process of its own, on a test database), and letters
// sent while something else happens.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { getJson, postJson, type TestApp } from '../support/app.ts';
import type { TestDatabase } from '../support/databases.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** `letterdesk ARGS…` against `db` (its folder, or its PostgreSQL database); stopped (code null) after `timeoutMs`. */
export function letterdesk(db: Pick<TestDatabase, 'dataDir' | 'databaseUrl'>, args: string[], env: Record<string, string> = {}, timeoutMs = 0): Promise<CliResult> {
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), LETTERDESK_DATA: db.dataDir, ...env };
  delete childEnv.DATABASE_URL;
  if (db.databaseUrl) childEnv.DATABASE_URL = db.databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export type Sent = { id: string; body: string; ackedAt: number };

/**
 * Sends letters through the JSON door, `callers` at a time, until stopped;
 * returns every letter the desk acknowledged, with when.
 */
export function sendLetters(app: TestApp, callers = 4): { stop(): Promise<Sent[]>; atLeast(n: number): Promise<void> } {
  const sent: Sent[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: callers }, async () => {
    while (running) {
      const i = n++;
      const body = `Letter ${i}: the harbour footbridge is overdue, and the council owes residents a timetable — ${'word '.repeat(i % 40)}end.`;
      const r = await postJson(`${app.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: `Writer ${i}`, email: `writer${i}@example.org`, town: 'Eastbank', body, consent: true });
      if (r.status === 202) sent.push({ id: r.json.id, body, ackedAt: Date.now() });
      else throw new Error(`letter ${i}: ${r.status} ${JSON.stringify(r.json)}`);
    }
  });
  return {
    /** Resolves once `n` letters were acknowledged. */
    async atLeast(count) {
      while (sent.length < count) {
        if (!running) throw new Error('stopped');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return sent;
    },
  };
}

/** The writers' names of the letters a search for `q` finds, sorted. */
export async function namesFound(url: string, token: string, q: string): Promise<string[]> {
  const found = await getJson(`${url}/api/v1/letters?q=${encodeURIComponent(q)}`, token);
  assert.equal(found.status, 200, JSON.stringify(found.json));
  return found.json.items.map((l: { writer: { name: string } }) => l.writer.name).sort();
}
