// The desk-facing letters API as two editors use it, on both databases: a
// letter says which actions fit it now (and every action it leaves out is
// refused); an action from a stale copy is refused with 409 instead of
// overwriting; who else has a letter open; a campaign listed with
// ?campaign= and acted on as one (decline all with one reply, shortlist one).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { postJson, startTestApp, type TestApp } from '../support/app.ts';
import { EDITOR_ACTIONS } from '../../src/letters/lifecycle.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { call, createUser, openSession } from './support.ts';

type Who = { cookie: string; csrf: string };

/** A valid body for each editor action (so a refusal is about fit, not shape). */
const BODIES: Record<(typeof EDITOR_ACTIONS)[number], Record<string, unknown>> = {
  shortlist: {},
  decline: {},
  spam: {},
  not_spam: {},
  assign_article: { article: 'seed-isi-taliban' },
  assign: { editor: null },
  note: { text: 'A note.' },
  verify: { how: 'email' },
  edit: { body: 'An edited text, shorter than the writer wrote it.' },
  request_approval: {},
  schedule: { at: new Date(Date.now() + 86_400_000).toISOString() },
  publish: {},
  withdraw: {},
  theme: { theme: 'The footbridge' },
  stance: { stance: 'agree' },
};

forEachDialect('letters on the desk: fitting actions, versions, presence, campaigns', (dialect) => {
  let t: TestApp;
  let ann: Who;
  let bob: Who;
  let viewer: Who;
  let n = 0;

  const submit = async (body = 'Your article about the council budget missed the libraries entirely.', extra: Record<string, unknown> = {}) => {
    n++;
    const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: `Writer ${n}`, email: `writer${n}@example.org`, town: 'Leeds', body, consent: true, ...extra });
    assert.equal(r.status, 202, JSON.stringify(r.json));
    return r.json.id as string;
  };
  const get = (who: Who, id: string) => call(t.url, 'GET', `/api/v1/letters/${id}`, who);
  const act = (who: Who, id: string, body: Record<string, unknown>, ifMatch?: string) =>
    fetch(`${t.url}/api/v1/letters/${id}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, etag: r.headers.get('etag'), json: (await r.json()) as any }));

  before(async () => {
    t = await startTestApp(dialect);
    t.ctx.publication.policies.requireConfirmation = false;
    const a = await createUser(t.ctx, 'editor', 'ann@desk.example');
    const b = await createUser(t.ctx, 'editor', 'bob@desk.example');
    const v = await createUser(t.ctx, 'viewer', 'vic@desk.example');
    ann = await openSession(t.ctx, a.id);
    bob = await openSession(t.ctx, b.id);
    viewer = await openSession(t.ctx, v.id);
  });
  after(async () => t?.close());

  test('each status offers its usual next step first, and every action left out is refused', async () => {
    // One letter walked through the day: new → shortlisted → edited → awaiting approval → ready → published.
    const id = await submit();
    const seen: Record<string, string[]> = {};
    const check = async (expectFirst: string) => {
      const l = (await get(ann, id)).json;
      seen[l.status + (l.editedBody ? '+edited' : '')] = l.allowedActions;
      assert.equal(l.allowedActions[0], expectFirst, `${l.status}: ${l.allowedActions.join(', ')}`);
      // Whatever the letter does not offer, the API refuses (nothing is written: the version stays).
      for (const a of EDITOR_ACTIONS.filter((x) => !l.allowedActions.includes(x))) {
        const r = await act(ann, id, { action: a, ...BODIES[a] });
        assert.ok(r.status === 409 || r.status === 403, `${a} on ${l.status}: ${r.status} ${JSON.stringify(r.json)}`);
      }
      assert.equal((await get(ann, id)).json.version, l.version);
      // A viewer is offered nothing.
      assert.deepEqual((await get(viewer, id)).json.allowedActions, []);
      return l;
    };
    await check('shortlist');
    assert.equal((await act(ann, id, { action: 'shortlist' })).status, 200);
    await check('edit');
    assert.equal((await act(ann, id, { action: 'edit', body: 'Your article missed the libraries.' })).status, 200);
    const edited = await check('edit');
    assert.ok(!edited.allowedActions.includes('publish'), 'an edit the writer has not approved cannot be published');
    assert.ok(edited.allowedActions.includes('request_approval'));
    assert.equal((await act(ann, id, { action: 'request_approval' })).status, 200);
    await check('edit');
    const { takeAction } = await import('../../src/letters/actions.ts');
    assert.ok((await takeAction(t.ctx, id, { action: 'approve' }, { kind: 'writer', letterId: id })).ok);
    await check('publish');
    assert.equal((await act(ann, id, { action: 'publish' })).status, 200);
    const published = await check('withdraw');
    assert.ok(!published.allowedActions.includes('shortlist') && !published.allowedActions.includes('publish'));
    assert.deepEqual(Object.keys(seen), ['new', 'shortlisted', 'shortlisted+edited', 'awaiting_approval+edited', 'ready+edited', 'published+edited']);
    // The queue's rows carry the same list.
    const list = (await call(t.url, 'GET', `/api/v1/letters?status=published`, ann)).json;
    assert.deepEqual(list.items.find((x: any) => x.id === id).allowedActions, published.allowedActions);
  });

  test('an action from a stale copy is refused with 409 and the letter keeps the other editor\'s change', async () => {
    const id = await submit('The bus timetable changes hurt shift workers most of all.');
    const first = await fetch(`${t.url}/api/v1/letters/${id}`, { headers: { cookie: ann.cookie } });
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"\d+"$/);
    // Both editors opened version 1; Ann saves first.
    const annSaves = await act(ann, id, { action: 'edit', body: 'Ann’s edit: the timetable hurts shift workers.' }, etag);
    assert.equal(annSaves.status, 200);
    assert.notEqual(annSaves.etag, etag);
    const bobSaves = await act(bob, id, { action: 'edit', body: 'Bob’s edit, made on the old text.' }, etag);
    assert.equal(bobSaves.status, 409);
    assert.equal(bobSaves.json.error, 'stale');
    assert.match(bobSaves.json.message, /Someone else changed this letter/);
    assert.equal(bobSaves.etag, annSaves.etag, 'the refusal says which version is current');
    const now = (await get(bob, id)).json;
    assert.equal(now.editedBody, 'Ann’s edit: the timetable hurts shift workers.');
    // With the current version Bob's action goes through.
    assert.equal((await act(bob, id, { action: 'note', text: 'Read Ann’s edit.' }, annSaves.etag!)).status, 200);
    // Two actions sent at once from the same version: one wins, the other is told.
    const v = `"${(await get(ann, id)).json.version}"`;
    const both = await Promise.all([act(ann, id, { action: 'note', text: 'one' }, v), act(bob, id, { action: 'note', text: 'two' }, v)]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
    // If-Match that is not a version is refused, not ignored.
    assert.equal((await act(ann, id, { action: 'note', text: 'x' }, 'yesterday')).status, 412);
  });

  test('who else has the letter open, and whether they are editing', async () => {
    const id = await submit('Parking charges near the hospital are unfair to visitors.');
    const beat = (who: Who, editing: boolean) => call(t.url, 'POST', `/api/v1/letters/${id}/presence`, { ...who, body: { editing } });
    assert.deepEqual((await beat(ann, false)).json.others, []);
    const bobHears = (await beat(bob, true)).json;
    assert.deepEqual(bobHears.others.map((o: any) => [o.name, o.editing]), [['Editor Person', false]]);
    const annHears = (await beat(ann, false)).json;
    assert.deepEqual(annHears.others.map((o: any) => o.editing), [true]);
    assert.equal(annHears.version, (await get(ann, id)).json.version);
    // Bob closes the letter.
    assert.equal((await call(t.url, 'DELETE', `/api/v1/letters/${id}/presence`, bob)).status, 200);
    assert.deepEqual((await beat(ann, false)).json.others, []);
  });

  test('?campaign= lists a campaign; decline all with one reply, or shortlist one representative', async () => {
    const template = 'Keep the promise on the northern rail line. The government pledged the upgrade in its manifesto and communities along the route have planned around it. Cancelling it now would betray every town that was told to wait its turn. Please hold ministers to their word.';
    const ids: string[] = [];
    // Campaigns mostly come by email, with the template's subject: through the one door in, as SMTP does.
    for (let i = 0; i < 6; i++) {
      n++;
      const out = await intakeLetter(t.ctx, {
        source: 'email',
        article: { id: 'seed-isi-taliban', method: 'url', confidence: 0.9 },
        writer: { name: `Writer ${n}`, email: `writer${n}@example.org`, town: 'York' },
        subject: 'Keep the promise',
        body: template.replace('Please', i % 2 ? 'I urge you to' : 'Please'),
        original: template,
        consent: true,
        exclusive: true,
        pow: 'none',
        dedupeKey: `campaign-${dialect}-${i}`,
        actor: 'test',
        meta: {},
      });
      ids.push(out.letter.id);
    }
    const other = await submit('Something entirely different about school dinners and their cost to families.');
    await t.drainEvents();
    const campaign = (await get(ann, ids[1]!)).json.screening.campaign as string;
    assert.ok(campaign, 'screening found the campaign');
    const listed = (await call(t.url, 'GET', `/api/v1/letters?campaign=${encodeURIComponent(campaign)}`, ann)).json.items.map((l: any) => l.id).sort();
    assert.deepEqual(listed, [...ids].sort());
    const counts = (await call(t.url, 'GET', '/api/v1/queue/counts', ann)).json;
    const row = counts.byCampaign.find((c: any) => c.id === campaign);
    assert.deepEqual([row.name, row.total], ['Keep the promise', 6]);

    const rep = await call(t.url, 'POST', `/api/v1/campaigns/${encodeURIComponent(campaign)}/actions`, { ...ann, body: { action: 'shortlist_representative', letter: ids[2] } });
    assert.equal(rep.status, 200, JSON.stringify(rep.json));
    assert.equal(rep.json.representative, ids[2]);
    const viewerTry = await call(t.url, 'POST', `/api/v1/campaigns/${encodeURIComponent(campaign)}/actions`, { ...viewer, body: { action: 'decline' } });
    assert.equal(viewerTry.status, 403);

    const declined = await call(t.url, 'POST', `/api/v1/campaigns/${encodeURIComponent(campaign)}/actions`, { ...ann, body: { action: 'decline', reply: 'Dear {name}, thank you for writing about {title}.' } });
    assert.equal(declined.status, 200, JSON.stringify(declined.json));
    assert.equal(declined.json.results.length, 5);
    assert.ok(declined.json.results.every((r: any) => r.ok && r.status === 'declined'));
    for (const id of ids) assert.equal((await get(ann, id)).json.status, id === ids[2] ? 'shortlisted' : 'declined', 'the representative is kept');
    assert.equal((await get(ann, other)).json.status, 'new', 'a letter outside the campaign is left alone');
    // Each writer gets the reply with their own name.
    await t.drainEvents();
    const replies = (await listOutbox(t.ctx.db, { limit: 200 })).filter((m) => m.kind === 'decline' && ids.includes(m.letterId ?? ''));
    assert.equal(replies.length, 5);
    for (const m of replies) assert.match(m.text, new RegExp(`Dear Writer \\d+, thank you for writing about `));
    assert.equal(new Set(replies.map((m) => m.to.address)).size, 5);
    assert.doesNotMatch(replies[0]!.text, /\{name\}|\{title\}/);
  });

  test('the editor picker lists who can act; an admin removes a team member, who is signed out', async () => {
    const admin = await createUser(t.ctx, 'admin', 'ada@desk.example');
    const adminSession = await openSession(t.ctx, admin.id);
    const gone = await createUser(t.ctx, 'editor', 'gone@desk.example');
    const goneSession = await openSession(t.ctx, gone.id);
    const team = (await call(t.url, 'GET', '/api/v1/team', viewer)).json.items.map((u: any) => u.email);
    assert.ok(team.includes('ann@desk.example') && team.includes('gone@desk.example'));
    assert.ok(!team.includes('vic@desk.example'), 'viewers cannot be assigned letters');
    assert.equal((await call(t.url, 'DELETE', `/api/v1/users/${gone.id}`, ann)).status, 403);
    assert.equal((await call(t.url, 'DELETE', `/api/v1/users/${admin.id}`, adminSession)).status, 409);
    assert.equal((await call(t.url, 'DELETE', `/api/v1/users/${gone.id}`, adminSession)).status, 200);
    assert.equal((await call(t.url, 'GET', '/api/v1/session', goneSession)).status, 401);
    assert.ok(!(await call(t.url, 'GET', '/api/v1/team', ann)).json.items.some((u: any) => u.email === 'gone@desk.example'));
  });
});
