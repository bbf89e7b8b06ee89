// Helpers for the screening wiring tests: a desk with the corpus articles,
// mail fed through the real email intake, and the background work (event
// processors, then jobs) run to completion.
import fs from 'node:fs';
import { after, before } from 'node:test';
import { startAppOn, startTestApp, postJson, getJson, type TestApp } from '../support/app.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { receiveMail, type ReceiveResult } from '../../src/inbound/index.ts';

export const LETTERS = 'letters@review.example.com';
export const MAIL_DIR = `${FIXTURES}corpus/mail/`;

export type Label = { file: string; kind: string; article: string | null; campaign: string | null; writerEmail: string };

function jsonl<T>(file: string): T[] {
  return fs
    .readFileSync(`${FIXTURES}corpus/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export const labels = (): Label[] => jsonl<Label>('labels.jsonl');
export const articles = (): Record<string, unknown>[] => jsonl('articles.jsonl');

export async function startDesk(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off', ...env });
}

/** A suite's desk with the corpus articles: `app` is there once the suite's `before` has run (a suite may replace it: a restart), and closed after it. */
export function suiteDesk(dialect: 'sqlite' | 'postgres'): { app: TestApp } {
  const suite = {} as { app: TestApp };
  before(async () => {
    suite.app = await startDesk(dialect);
    await importArticles(suite.app);
  });
  after(async () => {
    // A node that replaced the first (startNode, on the same database) keeps the database when it closes, so it is dropped here.
    try {
      await suite.app.close();
    } finally {
      await suite.app.db.drop();
    }
  });
  return suite;
}

export async function importArticles(app: TestApp): Promise<void> {
  const token = await app.token('editor');
  for (const a of articles()) {
    const r = await postJson(`${app.url}/api/v1/articles`, a, { authorization: `Bearer ${token}` });
    if (r.status !== 201 && r.status !== 200) throw new Error(`article ${String(a.id)}: ${r.status} ${JSON.stringify(r.json)}`);
  }
}

export function fromOf(raw: string): string {
  const m = /^From:.*?<?([^\s<>"]+@[^\s<>"]+)>?\s*$/im.exec(raw);
  return m ? m[1]! : 'unknown@example.net';
}

export async function receive(app: TestApp, raw: Uint8Array | string): Promise<ReceiveResult> {
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
  return receiveMail(app.ctx, bytes, { mailFrom: fromOf(Buffer.from(bytes).toString('latin1')), rcptTo: [LETTERS] }, 'smtp');
}

/** Runs the background work (event processors: screening, mail; then due jobs) until none is left. */
export async function runBackground(app: TestApp): Promise<void> {
  do await app.drainEvents();
  while ((await app.desk.background.runJobs()) > 0);
}

export async function letter(app: TestApp, id: string): Promise<any> {
  const r = await getJson(`${app.url}/api/v1/letters/${id}`, await app.token('viewer'));
  if (r.status !== 200) throw new Error(`letter ${id}: ${r.status}`);
  return r.json;
}

/** An editor's action through the API; its event processors then run, as the background would. */
export async function act(app: TestApp, id: string, body: Record<string, unknown>): Promise<{ status: number; json: any }> {
  const r = await postJson(`${app.url}/api/v1/letters/${id}/actions`, body, { authorization: `Bearer ${await app.token('editor')}` });
  await app.drainEvents();
  return r;
}

/** A plain mail from `from` with `subject` and `body`. */
export function mail(from: string, subject: string, body: string, opts: { date?: Date; messageId?: string } = {}): string {
  const id = opts.messageId ?? `<${Math.random().toString(36).slice(2)}@example.net>`;
  return [
    `From: ${from}`,
    `To: ${LETTERS}`,
    `Subject: ${subject}`,
    `Date: ${(opts.date ?? new Date()).toUTCString()}`,
    `Message-ID: ${id}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body.replace(/\n/g, '\r\n'),
    '',
  ].join('\r\n');
}

/** Another app node on an existing test database (a restart, or a second node); closing it keeps the database. */
export async function startNode(first: TestApp): Promise<TestApp> {
  return startAppOn(first.db, { LETTERS_ADDRESS: LETTERS });
}

/** Closes a node without dropping its database (TestApp.close drops it). */
export async function stopNode(app: TestApp): Promise<void> {
  await app.app.close();
  await app.ctx.db.close();
}
