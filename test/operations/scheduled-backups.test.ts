// Scheduled backups as an operator relies on them: with BACKUP_DIR set, one a
// day (a restart or a second check the same day takes none), the newest
// BACKUP_KEEP kept, each restorable into an empty database with the letters
// in it; the outcome in the log and the metrics; a folder that cannot be
// written is a logged, counted failure, never a crash.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { listBackups, backupIfDue } from '../../src/operations/backups.ts';
import { restore } from '../../src/db/archive/index.ts';
import { openPlain } from '../../src/db/connect.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';
import { getJson, postJson, startAppOn, startTestApp, type TestApp } from '../support/app.ts';

const DAY = 86_400_000;

forEachDialect('scheduled backups', (dialect) => {
  let t: TestApp;
  let dir: string;
  const letterIds: string[] = [];
  const targets: TestDatabase[] = [];

  before(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ld-scheduled-')), 'backups');
    t = await startTestApp(dialect, { BACKUP_DIR: dir, BACKUP_KEEP: '2' });
    for (let i = 0; i < 5; i++) {
      const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: `Writer ${i}`, email: `w${i}@example.org`, town: 'Eastbank', body: `Letter ${i}: the footbridge is overdue.`, consent: true });
      letterIds.push(r.json.id);
    }
  });
  after(async () => {
    await t.close();
    for (const d of targets) await d.drop();
  });

  test('one a day, the newest two kept; a second check the same day takes none', async () => {
    const start = Date.now();
    const first = await backupIfDue(t.ctx, new Date(start));
    assert.ok(first?.ok, first?.error);
    assert.equal(await backupIfDue(t.ctx, new Date(start + 3 * 3600_000)), null, 'three hours later: not due');
    for (let d = 1; d <= 3; d++) {
      const r = await backupIfDue(t.ctx, new Date(start + d * DAY));
      assert.ok(r?.ok, r?.error);
    }
    const kept = listBackups(dir);
    assert.equal(kept.length, 2);
    assert.equal(kept.at(-1)!.at.getTime(), Math.floor((start + 3 * DAY) / 1000) * 1000, 'the newest is the last one taken');
    assert.equal(fs.readdirSync(dir).length, 2, 'no partial files left behind');
    const written = t.logs.filter((l) => l.includes('"msg":"scheduled backup written"'));
    assert.equal(written.length, 4);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, /letterdesk_backups_total\{outcome="done"\} 4/);
    assert.match(metrics, /letterdesk_backup_last_size_bytes \d{3,}/);
  });

  test('the newest backup restores into an empty database with every letter', async () => {
    const target = await createTestDatabase(dialect);
    targets.push(target);
    const db = openPlain({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
    try {
      await restore(db, listBackups(dir).at(-1)!.file);
    } finally {
      await db.close();
    }
    const restored = await startAppOn(target);
    try {
      const viewer = await restored.token('viewer');
      for (const id of letterIds) assert.equal((await getJson(`${restored.url}/api/v1/letters/${id}`, viewer)).status, 200, id);
    } finally {
      await restored.close();
    }
  });

  test('a folder that cannot be written: the failure is logged and counted, and the desk goes on', async () => {
    const blocked = path.join(path.dirname(dir), 'not-a-folder');
    fs.writeFileSync(blocked, 'a file where the folder should be');
    const ctx = { ...t.ctx, config: { ...t.ctx.config, backupDir: blocked } };
    const r = await backupIfDue(ctx);
    assert.equal(r?.ok, false);
    assert.match(r!.error!, /EEXIST|ENOTDIR|not a directory|exists/i);
    assert.ok(t.logs.some((l) => l.includes('"msg":"scheduled backup failed"')));
    assert.match(await (await fetch(`${t.url}/metrics`)).text(), /letterdesk_backups_total\{outcome="failed"\} 1/);
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
  });
});
