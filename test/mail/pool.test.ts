// The mail worker pool starts no thread until a message needs one, and never
// keeps the process alive: a process that read a message and has nothing
// else to do ends on its own, without closing the pool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { mailPoolThreads, runMailTask } from '../../src/inbound/mail-pool.ts';

const POOL = new URL('../../src/inbound/mail-pool.ts', import.meta.url).href;

test('no thread before the first message; one read in a worker', async () => {
  assert.equal(mailPoolThreads(), 0);
  const raw = Buffer.from('From: Pat <pat@example.net>\r\nSubject: x\r\nMessage-ID: <p@example.net>\r\n\r\nDear editor, a letter.\r\n');
  const out = await runMailTask<{ ok: boolean; kind?: string }, { opts: object }>('read', raw, { opts: {} }, 15_000);
  assert.ok(out.ok && out.value.ok && out.value.kind === 'letter', JSON.stringify(out));
  assert.ok(mailPoolThreads() >= 1);
});

test('a process that used the pool exits by itself', () => {
  const script = `
    import { runMailTask } from ${JSON.stringify(POOL)};
    const raw = Buffer.from('From: Pat <pat@example.net>\\r\\nSubject: x\\r\\n\\r\\nDear editor.\\r\\n');
    const out = await runMailTask('read', raw, { opts: {} }, 15000);
    console.log(out.ok ? 'read' : 'failed');
  `;
  const t0 = Date.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(child.error, undefined, 'ended before the timeout');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), 'read');
  // The pool's idle timeout is 30 s: ending well before it means idle workers do not hold the process.
  assert.ok(Date.now() - t0 < 15_000, `${Date.now() - t0} ms`);
});
