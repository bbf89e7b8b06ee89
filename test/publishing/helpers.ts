// Shared steps for the publishing tests: a letter submitted and confirmed
// the way a writer does it, editor actions through the API, links read from
// the outbox, and a second app on the same database (a restart).
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import type { TestApp } from '../support/app.ts';
import { getJson, postJson, startAppOn } from '../support/app.ts';

export const LETTER = {
  article: 'seed-isi-taliban',
  name: 'Obadiah Kent',
  email: 'okent@example.com',
  town: 'Harrisburg, Pa.',
  body: 'Your article on Pakistan and the Taliban made a case I had not heard before. I am not fully convinced, but it changed how I read the news from Kabul this week.',
  consent: true,
};

/** The outbox, after the event processors have run (they write the mail). */
export async function outbox(t: { url: string; token(r: 'admin'): Promise<string>; drainEvents?(): Promise<void> }, letterId?: string): Promise<any[]> {
  await t.drainEvents?.();
  const r = await getJson(`${t.url}/api/v1/outbox?limit=200${letterId ? `&letter=${letterId}` : ''}`, await t.token('admin'));
  assert.equal(r.status, 200);
  return r.json.items;
}

/** The first link of a kind (`confirm`, `approval`, `withdraw`, `reply`) in the newest mail that has one. */
export function linkIn(mails: any[], kind: string): string {
  for (const m of mails) {
    const re = kind === 'confirm' ? /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/ : new RegExp(`https?://\\S+/letters/[^/\\s]+/${kind}/[A-Za-z0-9_-]+`);
    const hit = re.exec(m.text);
    if (hit) return hit[0];
  }
  throw new Error(`no ${kind} link in ${mails.length} mails`);
}

/** Submits through the public API and confirms the address through the emailed link: the letter is `new`. */
export async function submitConfirmed(t: TestApp, fields: Record<string, unknown> = {}): Promise<string> {
  const r = await postJson(`${t.url}/api/v1/letters`, { ...LETTER, ...fields });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  const confirm = linkIn(await outbox(t, r.json.id), 'confirm');
  // The link shows a page with a button; the button (a POST) confirms.
  assert.equal((await fetch(confirm)).status, 200);
  assert.equal((await postForm(confirm, {})).status, 200);
  return r.json.id;
}

/** An editor's action through the API; its event processors then run, as the background would. */
export async function act(t: TestApp, letterId: string, input: Record<string, unknown>, expect = 200): Promise<any> {
  const r = await postJson(`${t.url}/api/v1/letters/${letterId}/actions`, input, { authorization: `Bearer ${await t.token('admin')}` });
  assert.equal(r.status, expect, `${input.action}: ${JSON.stringify(r.json)}`);
  await t.drainEvents();
  return r.json;
}

/** Form POST to a writer's link page. */
export async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

/** A second desk on an existing test database, as after a restart. */
export const openOn = startAppOn;

/** Makes every waiting job due now (time passing, without waiting for backoff). */
export async function jobsDueNow(ctx: AppContext): Promise<void> {
  await ctx.db.writes.run((trx) => trx.updateTable('jobs').set({ run_at: ctx.db.dialect.time(new Date(Date.now() - 1000)) }).where('done_at', 'is', null).execute());
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
