// The editors' desk in Chromium, as people use it: an editor's day (queue →
// letter → edit → approval → publish) sees only the actions that fit at each
// step; a campaign handled as one; two editors on one letter (on two nodes
// over one PostgreSQL when it is there): the second is told the first has it
// open, and a save from a stale copy is refused; a tray item opened to its
// mail; the outbox names its mail. axe-core on every desk page at 1280×800
// and phone width; screenshots in test-results/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startAppOn, startTestApp, type TestApp } from '../support/app.ts';
import { browserSuite, launchBrowser } from '../support/browser.ts';
import { pgUnavailable, requirePg } from '../support/env.ts';
import { createTestDatabase } from '../support/databases.ts';
import { createUser, PASSWORD } from '../desk/support.ts';
import { ensureDeskBuilt } from '../../src/desk/web-build.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { takeAction } from '../../src/letters/actions.ts';
import { receiveMail, spoolMail } from '../../src/inbound/index.ts';
import { readSpooled } from '../support/spool.ts';
import { ACTION_LABELS, PANEL_ACTIONS } from '../../web/src/messages.ts';

const RESULTS = new URL('../../test-results/', import.meta.url);
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const pgWhy = await pgUnavailable();
if (pgWhy && requirePg) throw new Error(`REQUIRE_PG=1 but ${pgWhy}`);

async function axe(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE);
  const result: any = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const v = result.violations.map((x: any) => `${x.id}: ${x.help} (${x.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  assert.deepEqual(v, [], `axe on ${what}`);
}

const shot = (page: Page, name: string) => page.screenshot({ path: new URL(name, RESULTS).pathname, fullPage: true });

/** The action buttons the letter view shows (main and under "More actions"), as labels. */
async function shownActions(page: Page): Promise<string[]> {
  return (await page.locator('.actions button').evaluateAll((bs) => bs.map((b) => (b.firstChild?.textContent ?? '').trim()))).filter(Boolean);
}

const TEMPLATE =
  'Keep the promise on the northern rail line. The government pledged the upgrade in its manifesto and communities along the route have planned around it. Cancelling it now would betray every town that was told to wait its turn. Please hold ministers to their word.';

browserSuite('the editors’ desk as people use it', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let n = 0;

  async function page(viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const p = await context.newPage();
    p.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    return p;
  }
  async function signIn(p: Page, email: string, url = t.url): Promise<void> {
    await p.goto(`${url}/desk/`);
    await p.fill('#email', email);
    await p.fill('#password', PASSWORD);
    await p.click('button[type=submit]');
    await p.waitForSelector('h1#queue-title');
  }
  async function letter(app: TestApp, body: string, extra: { subject?: string; name?: string } = {}): Promise<string> {
    n++;
    const out = await intakeLetter(app.ctx, {
      source: 'email',
      article: { id: 'seed-isi-taliban', method: 'url', confidence: 0.9 },
      writer: { name: extra.name ?? `Writer ${n}`, email: `writer${n}@example.org`, town: 'York' },
      subject: extra.subject ?? null,
      body,
      original: body,
      consent: true,
      exclusive: true,
      pow: 'none',
      dedupeKey: `desk-day-${n}`,
      actor: 'test',
      meta: {},
    });
    return out.letter.id;
  }
  async function api(path: string): Promise<any> {
    const r = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${await t.token('editor')}` } });
    return r.json();
  }

  before(async () => {
    await ensureDeskBuilt();
    fs.mkdirSync(RESULTS, { recursive: true });
    t = await startTestApp('sqlite');
    t.ctx.publication.policies.requireConfirmation = false;
    await createUser(t.ctx, 'editor', 'ed@desk.example');
    await createUser(t.ctx, 'admin', 'ada@desk.example');
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.close();
  });

  test("an editor's day: at each step the letter offers only the actions that fit, the usual one first", async () => {
    const id = await letter(t, 'Your piece on the library closures forgot the children who do their homework there after school every day.', { subject: 'Libraries', name: 'Amina Rahman' });
    const p = await page();
    await signIn(p, 'ed@desk.example');
    await p.waitForSelector(`a[href="#/letter/${id}"]`);
    await p.click(`a[href="#/letter/${id}"]`);
    await p.waitForSelector('h1#letter-title');

    // What the desk shows is what the API says fits, in its order, and nothing else.
    const expectShown = async (status: string, first: string, absent: string[]) => {
      await p.waitForSelector(`h1#letter-title .badge:has-text("${status}")`);
      const shown = await shownActions(p);
      const allowed: string[] = (await api(`/api/v1/letters/${id}`)).allowedActions;
      const labels = allowed.filter((a) => a !== 'note' && !PANEL_ACTIONS.includes(a)).map((a) => (a === 'assign' ? 'Assign…' : ACTION_LABELS[a as keyof typeof ACTION_LABELS]));
      assert.deepEqual(shown, labels, `${status}: the desk shows the letter's allowedActions`);
      assert.equal(shown[0], first, `${status}: the usual next step comes first`);
      for (const a of absent) assert.ok(!shown.includes(a), `${status}: ${a} is not offered`);
      assert.equal(await p.locator('.actions button.primary').count(), 1);
      assert.equal((await p.locator('.actions button.primary').evaluate((b) => b.firstChild?.textContent ?? '')).trim(), first, 'the usual next step is the primary button');
    };
    await expectShown('New', 'Shortlist', ['Not spam']);
    await shot(p, 'desk-letter-actions.png');
    await axe(p, 'a new letter');

    await p.click('.actions button:has-text("Shortlist")');
    await p.waitForSelector('.status-line:has-text("Shortlisted.")');
    await expectShown('Shortlisted', 'Edit', ['Shortlist', 'Not spam']);

    // The word count follows the edit as it is typed, and the header's after saving.
    await p.click('.actions button:has-text("Edit")');
    assert.match((await p.textContent('#edit-count'))!, /^18 words .*the writer wrote 18/);
    await p.fill('#edit-body', 'Your piece on library closures forgot the children who study there.');
    assert.match((await p.textContent('#edit-count'))!, /^11 words .*the writer wrote 18/);
    await axe(p, 'the edit panel');
    await p.click('button:has-text("Save edit")');
    await p.waitForSelector('.status-line:has-text("Edit saved. The writer must approve it")');
    assert.equal(await p.textContent('.word-count'), '11 words');
    // An edited text the writer has not approved is not offered for publishing.
    await expectShown('Shortlisted', 'Edit', ['Publish', 'Schedule…', 'Shortlist']);

    await p.click('.actions button:has-text("Ask the writer to approve")');
    await p.waitForSelector('.status-line:has-text("Sent to the writer for approval")');
    await expectShown('Awaiting approval', 'Edit', ['Publish', 'Ask the writer to approve', 'Shortlist']);

    // The writer approves (the approval link's own tests cover the link); the desk shows it on reload.
    assert.ok((await takeAction(t.ctx, id, { action: 'approve' }, { kind: 'writer', letterId: id })).ok);
    await p.reload();
    await expectShown('Ready', 'Publish', ['Shortlist', 'Not spam']);
    await p.click('.actions button:has-text("Publish")');
    await p.waitForSelector('.status-line:has-text("Published. Writer notified.")');
    await expectShown('Published', 'Withdraw', ['Publish', 'Shortlist', 'Edit', 'Decline…']);
    // A published letter links to its public page, which shows the approved text.
    const href = await p.getAttribute('a:has-text("See it published")', 'href');
    assert.equal(href, `/letters/${id}`);
    const pub = await fetch(`${t.url}${href}`);
    assert.equal(pub.status, 200);
    assert.match(await pub.text(), /forgot the children who study there/);
    await axe(p, 'a published letter');
    // The same letter on a phone.
    const phone = await page(PHONE);
    await signIn(phone, 'ed@desk.example');
    await phone.goto(`${t.url}/desk/#/letter/${id}`);
    await phone.waitForSelector('h1#letter-title .badge:has-text("Published")');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 1, 'no sideways scrolling');
    await shot(phone, 'desk-letter-actions-phone.png');
    await axe(phone, 'a published letter at phone width');
  });

  test('a campaign is one row that opens to its letters, and is handled as one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await letter(t, TEMPLATE.replace('Please', i % 2 ? 'I urge you to' : 'Please'), { subject: 'Keep the promise' }));
    await t.drainEvents();
    const campaign = (await api(`/api/v1/letters/${ids[0]}`)).screening.campaign as string;
    assert.ok(campaign, 'screening found the campaign');

    // The phone first (it only looks), then the desktop, which acts on the campaign.
    for (const [viewport, suffix] of [[PHONE, '-phone'], [DESKTOP, '']] as const) {
      const p = await page(viewport);
      await signIn(p, 'ed@desk.example');
      const row = p.locator('tr.campaign-row');
      await row.waitFor();
      assert.equal(await row.count(), 1, 'six letters, one row');
      assert.match((await row.locator('.campaign-name').textContent())!, /^Keep the promise — 6 letters$/);
      assert.equal(await p.locator('table.queue tbody tr.member').count(), 0);
      await row.locator('button:has-text("Show letters")').click();
      await p.waitForSelector('table.queue tbody tr.member');
      assert.equal(await p.locator('table.queue tbody tr.member').count(), 6);
      if (suffix) {
        // On a phone the letters come before the tabs and filters, and nothing scrolls sideways.
        const table = (await p.locator('table.queue').boundingBox())!;
        const tabs = (await p.locator('nav.tabs').boundingBox())!;
        assert.ok(table.y < tabs.y, 'letters first on a phone');
        assert.ok((await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 1, 'no sideways scrolling');
      }
      await shot(p, `desk-queue-campaign${suffix}.png`);
      await axe(p, `the queue with a campaign opened${suffix}`);
      await row.locator('.campaign-name').click();
      await p.waitForSelector('h2#campaign-title:has-text("Keep the promise — 6 letters")');
      // The campaign filter lists its letters, one row each.
      await p.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length === 6);
      assert.equal(await p.locator('table.queue tbody tr.campaign-row').count(), 0);
      await shot(p, `desk-campaign${suffix}.png`);
      await axe(p, `a campaign${suffix}`);
      if (!suffix) {
        await p.selectOption('#representative', ids[3]!);
        await p.click('button:has-text("Shortlist this letter")');
        await p.waitForSelector('.status-line:has-text("to stand for the campaign")');
        await p.waitForSelector('h2#campaign-title + p:has-text("5 waiting")');
        await p.fill('#campaign-reply', 'Dear {name}, thank you. We have chosen one letter to speak for all of you.');
        await p.click('button:has-text("Decline all waiting")');
        await p.waitForSelector('.status-line:has-text("Declined 5 letters of the campaign; each writer gets your reply")');
      }
      await p.context().close();
    }
    const statuses = await Promise.all(ids.map(async (id) => (await api(`/api/v1/letters/${id}`)).status));
    assert.deepEqual(statuses, ids.map((id) => (id === ids[3] ? 'shortlisted' : 'declined')));
  });

  test(`two editors on one letter${pgWhy ? ' (one node on SQLite: PostgreSQL is not here)' : ' on two nodes over one PostgreSQL'}: the second is told, a stale save is refused`, async () => {
    // With PostgreSQL: two desks on one database, as behind a proxy; presence must cross nodes.
    const db = pgWhy ? null : await createTestDatabase('postgres');
    const one = db ? await startAppOn(db) : t;
    const two = db ? await startAppOn(db) : t;
    try {
      one.ctx.publication.policies.requireConfirmation = false;
      if (db) {
        await createUser(one.ctx, 'editor', 'ann@desk.example');
        await createUser(one.ctx, 'editor', 'bob@desk.example');
      } else {
        await createUser(t.ctx, 'editor', 'ann@desk.example');
        await createUser(t.ctx, 'editor', 'bob@desk.example');
      }
      const id = await letter(one, 'The new cycle lanes on the ring road are a danger to cyclists and drivers alike at the roundabouts.', { subject: 'Cycle lanes' });
      const ann = await page();
      const bob = await page();
      await signIn(ann, 'ann@desk.example', one.url);
      await signIn(bob, 'bob@desk.example', two.url);
      await ann.goto(`${one.url}/desk/#/letter/${id}`);
      await ann.waitForSelector('h1#letter-title');
      await bob.goto(`${two.url}/desk/#/letter/${id}`);
      // Bob is told at once that Ann has it open.
      await bob.waitForSelector('.presence:has-text("Editor Person has this letter open")');
      // Ann starts editing; Bob hears it with the next heartbeat.
      await ann.click('.actions button:has-text("Edit")');
      await bob.waitForSelector('.presence:has-text("is editing it")', { timeout: 30_000 });
      await axe(bob, 'a letter another editor has open');
      await shot(bob, 'desk-two-editors.png');
      // Bob, on his copy, starts an edit too; Ann saves first.
      await bob.click('.actions button:has-text("Edit")');
      await bob.fill('#edit-body', 'Bob’s edit of the old text.');
      await ann.fill('#edit-body', 'Ann’s edit: the cycle lanes are dangerous at the roundabouts.');
      await ann.click('button:has-text("Save edit")');
      await ann.waitForSelector('.status-line:has-text("Edit saved")');
      await bob.click('button:has-text("Save edit")');
      await bob.waitForSelector('[role=alert]:has-text("Someone else changed this letter since you opened it")');
      // Bob's text is still in his panel, and nothing of it was saved.
      assert.equal(await bob.inputValue('#edit-body'), 'Bob’s edit of the old text.');
      const stored = await one.ctx.db.read.selectFrom('letters').select('edited_body').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(stored.edited_body, 'Ann’s edit: the cycle lanes are dangerous at the roundabouts.');
      await bob.click('[role=alert] button:has-text("Show the current letter")');
      await bob.waitForSelector('.redline:has-text("dangerous at the roundabouts")');
      await ann.context().close();
      await bob.context().close();
    } finally {
      if (db) {
        await one.close();
        await two.close();
        await db.drop();
      }
    }
  });

  test("a forwarded letter shows who forwarded it and their note, each flag with screening's reason, and is assigned with the editor picker", async () => {
    n++;
    const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const out = await intakeLetter(t.ctx, {
      source: 'email',
      article: { id: 'seed-isi-taliban', method: 'url', confidence: 0.9 },
      writer: { name: 'Harold Finch', email: `finch${n}@example.org`, town: 'Cambridge' },
      subject: 'Fwd: my letter',
      body: long,
      original: long,
      consent: true,
      exclusive: true,
      pow: 'none',
      dedupeKey: `desk-day-fwd-${n}`,
      actor: 'test',
      meta: { inbound: { id: 'inbound-test', forwardedBy: { name: 'Grace Hendricks', address: 'grace@example.org' }, coveringNote: 'My father asked me to send this on; he has no email.' } },
    });
    await t.drainEvents();
    const p = await page();
    await signIn(p, 'ed@desk.example');
    await p.goto(`${t.url}/desk/#/letter/${out.letter.id}`);
    await p.waitForSelector('h2#forwarded-title:has-text("Forwarded by Grace Hendricks")');
    assert.match((await p.textContent('.covering-note'))!, /My father asked me to send this on/);
    await p.waitForSelector('ul.flag-reasons li:has-text("over word limit")');
    assert.match((await p.textContent('ul.flag-reasons li:has-text("over word limit")'))!, /300 words; the limit is \d+/);
    await axe(p, 'a forwarded letter with flags');
    // Assign (under "More actions" for a new letter): the picker lists the team by name.
    await p.click('.more-actions summary');
    await p.click('.more-actions button:has-text("Assign…")');
    // The team is read when the picker opens: its names follow "Nobody" a moment later.
    await p.waitForSelector('#assign-editor option:has-text("ada@desk.example")', { state: 'attached' });
    const options = await p.locator('#assign-editor option').allTextContents();
    assert.ok(options.some((o) => o.includes('ada@desk.example')) && options.includes('Nobody'), options.join(' | '));
    await p.selectOption('#assign-editor', 'ada@desk.example');
    await axe(p, 'the editor picker');
    await p.click('button:has-text("Assign"):not(:has-text("…"))');
    await p.waitForSelector('.status-line:has-text("Assigned to ada@desk.example.")');
    await p.context().close();
  });

  test('a tray item opens to the mail: why it is there, its text, headers and attachments', async () => {
    const raw = [
      'From: Out Of Office <away@example.net>',
      'To: letters@review.example.com',
      'Subject: Automatic reply: your letter',
      'Auto-Submitted: auto-replied',
      'Message-ID: <ooo-1@example.net>',
      'Date: Mon, 30 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'I am away until Monday with no access to email. See https://example.net/away for urgent matters.',
      '--b1',
      'Content-Type: text/plain; name="itinerary.txt"',
      'Content-Disposition: attachment; filename="itinerary.txt"',
      '',
      'Monday: back at the desk.',
      '--b1--',
      '',
    ].join('\r\n');
    const r = await receiveMail(t.ctx, new TextEncoder().encode(raw), { mailFrom: 'away@example.net', rcptTo: ['letters@review.example.com'] }, 'smtp');
    assert.equal(r.status, 'tray');
    // A letter SMTP took and the desk has not read yet: the tray says it is on its way, and forgets it once read.
    const spooled = await spoolMail(t.ctx, new TextEncoder().encode(['From: Nia <nia@example.org>', 'To: letters@review.example.com', 'Subject: The tram', 'Message-ID: <tray-waiting-1@example.org>', '', 'Dear Editor, the tram line matters to the east bank.', ''].join('\r\n')), { mailFrom: 'nia@example.org', rcptTo: ['letters@review.example.com'] }, 'smtp');
    {
      const p = await page(DESKTOP);
      await signIn(p, 'ed@desk.example');
      await p.click('header nav a:has-text("System tray")');
      await p.waitForSelector('h1#tray-title');
      assert.match((await p.textContent('.waiting'))!, /^1 message received by email is waiting to be read \(it came (just now|\d+ seconds? ago|1 minute ago)\)\. It joins the queue/);
      await shot(p, 'desk-tray-waiting.png');
      await axe(p, 'the tray with mail waiting');
      await readSpooled(t);
      assert.equal((await t.ctx.db.read.selectFrom('inbound_messages').select('status').where('id', '=', spooled.id).executeTakeFirstOrThrow()).status, 'letter');
      // Asked again within seconds while mail waits; once none does, the list is read again: the letter went to the queue, the tray is as it was.
      await p.waitForSelector('.waiting', { state: 'detached', timeout: 10_000 });
      assert.equal(await p.locator('table.tray tbody tr').count(), 1);
      await p.context().close();
    }
    for (const [viewport, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
      const p = await page(viewport);
      await signIn(p, 'ed@desk.example');
      await p.click('header nav a:has-text("System tray")');
      await p.waitForSelector('h1#tray-title');
      await axe(p, `the tray${suffix}`);
      await p.click('a:has-text("Automatic reply: your letter")');
      await p.waitForSelector('h1#mail-title');
      assert.match((await p.textContent('.reason'))!, /Why it is here: .*auto/i);
      assert.match((await p.textContent('.letter-text'))!, /I am away until Monday/);
      assert.equal(await p.getAttribute('a:has-text("itinerary.txt")', 'href'), `/api/v1/inbound/${r.id}/attachments/0`);
      await p.click('summary:has-text("Headers")');
      assert.ok(await p.locator('table.headers th:has-text("auto-submitted")').or(p.locator('table.headers th:has-text("Auto-Submitted")')).count());
      await shot(p, `desk-tray-item${suffix}.png`);
      await axe(p, `a tray item${suffix}`);
      await p.context().close();
    }
  });

  test('the outbox names each mail and its links can be followed; settings lets an admin remove a member; axe on both', async () => {
    const id = await letter(t, 'A short letter about the weekly market, published at once.');
    const out = await takeAction(t.ctx, id, { action: 'publish' }, { kind: 'staff', id: 'test', role: 'editor', label: 'user:test' });
    assert.ok(out.ok);
    await t.drainEvents();
    for (const [viewport, suffix] of [[DESKTOP, ''], [PHONE, '-phone']] as const) {
      const p = await page(viewport);
      await signIn(p, 'ada@desk.example');
      await p.click('header nav a:has-text("Outbox")');
      await p.waitForSelector('h1#outbox-title');
      await p.waitForSelector('.mail-kind:has-text("Letter published")');
      await p.click('li.mail:has(.mail-kind:has-text("Letter published")) summary');
      const links = await p.locator('li.mail pre a[href^="http"]').count();
      assert.ok(links > 0, 'links in the mail are clickable');
      await axe(p, `the outbox${suffix}`);
      await p.click('header nav a:has-text("Settings")');
      await p.waitForSelector('h1#settings-title');
      await axe(p, `settings${suffix}`);
      if (!suffix) {
        await createUser(t.ctx, 'editor', 'leaving@desk.example');
        await p.reload();
        await p.waitForSelector('td:has-text("leaving@desk.example")');
        p.once('dialog', (d) => void d.accept());
        await p.click('tr:has(td:has-text("leaving@desk.example")) button:has-text("Remove")');
        await p.waitForSelector('.status-line:has-text("removed from the team")');
        // The list is read again after the message shows: wait for the row to go (a timeout fails the test).
        await p.waitForSelector('td:has-text("leaving@desk.example")', { state: 'detached', timeout: 5000 });
        assert.equal(await p.locator('td:has-text("leaving@desk.example")').count(), 0);
      }
      await p.context().close();
    }
  });
});
