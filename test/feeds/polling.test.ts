// Polling feeds as they behave in the wild, from a real HTTP server on
// loopback: a feed that changes (an article updated, one added) is read
// again and the desk follows; an unchanged one answers 304 to the
// conditional GET and costs nothing; broken feeds (HTTP 500, malformed XML,
// a server that hangs, an oversized document, a redirect loop, a web page
// instead of a feed) each show what is wrong, while the good feed polled
// beside them still brings its articles; a mended feed recovers. A new
// article from a feed is what a reader's mail is matched to. Two app nodes
// polling at once fetch a feed once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/databases.ts';
import { startAppOn, startTestApp, type TestApp } from '../support/app.ts';
import { prepareFeeds } from '../../src/feeds/setup.ts';
import { startFeedServer, type FeedServer } from './feed-server.ts';
import { rss, type Piece } from './documents.ts';
import { addFeed, article, feed, feeds, pollJob, pollNow } from './support.ts';
import { call } from '../desk/support.ts';

const site = 'https://review.example.com';
const piece = (slug: string, title: string, html = `<p>About ${slug}.</p>`): Piece => ({ url: `${site}/opinion/${slug}`, title, author: 'Ada Byrne', date: '2024-05-03T08:00:00Z', section: 'Opinion', html });

forEachDialect('polling article feeds', (dialect) => {
  let t: TestApp;
  let cms: FeedServer;

  before(async () => {
    t = await startTestApp(dialect, { FEED_TIMEOUT_SECONDS: '1', FEED_MAX_BYTES: '4096' });
    cms = await startFeedServer();
  });
  after(async () => {
    await cms?.close();
    await t?.close();
  });

  test('an unchanged feed answers 304 and nothing is written; a changed one updates and adds articles', async () => {
    cms.set('/feed', { body: rss([piece('school-meals', 'Free school meals for all')]) });
    const f = await addFeed(t, `${cms.url}/feed`);
    await t.desk.background.runJobs();
    assert.equal((await article(t, `${site}/opinion/school-meals`))?.title, 'Free school meals for all');

    await pollNow(t, f.id);
    const second = cms.hitsOf('/feed').at(-1)!;
    assert.ok(second.ifNoneMatch, 'the second poll is conditional');
    assert.equal(second.status, 304);
    let status = await feed(t, f.id);
    assert.equal(status.lastHttpStatus, 304);
    assert.equal(status.state, 'ok');
    assert.equal(status.articlesAdded, 1);
    assert.equal(status.articlesUpdated, 0);

    cms.set('/feed', { body: rss([piece('bridge-tolls', 'Scrap the bridge tolls'), piece('school-meals', 'Free school meals for all pupils')]) });
    await pollNow(t, f.id);
    assert.equal(cms.hitsOf('/feed').at(-1)!.status, 200);
    assert.equal((await article(t, `${site}/opinion/school-meals`))?.title, 'Free school meals for all pupils');
    assert.equal((await article(t, `${site}/opinion/bridge-tolls`))?.title, 'Scrap the bridge tolls');
    status = await feed(t, f.id);
    assert.equal(status.articlesAdded, 2);
    assert.equal(status.articlesUpdated, 1);

    // The next poll is queued for within a minute of this one (FEED_POLL_SECONDS, 60 by default).
    const next = await pollJob(t, f.id);
    assert.equal(next.done, false);
    const gap = next.runAt.getTime() - Date.parse(status.lastAttemptAt);
    assert.ok(gap > 0 && gap <= 60_000, `next poll ${gap} ms after the last`);
  });

  test('a mail about an article that just came from the feed is matched to it', async () => {
    const mail = [
      'From: Rob Quinn <rob@example.org>',
      'To: letters@review.example.com',
      'Subject: Re: Scrap the bridge tolls',
      'Message-ID: <bridge-1@example.org>',
      'Date: Fri, 03 May 2024 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your columnist is right that the bridge tolls fall hardest on shift workers who cross twice a day. Scrap them.',
      '',
      'Rob Quinn, Northfield',
    ].join('\r\n');
    const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await t.token('inbound')}` }, body: mail });
    assert.equal(res.status, 202);
    const { letterId } = (await res.json()) as { letterId: string };
    await t.drainEvents();
    const letter = await call(t.url, 'GET', `/api/v1/letters/${letterId}`, { bearer: await t.token('editor') });
    assert.equal(letter.json.article.id, (await article(t, `${site}/opinion/bridge-tolls`))!.id);
  });

  test('broken feeds each say what is wrong, and the good feed beside them still brings its articles', async () => {
    cms.set('/500', { status: 500, body: 'Internal Server Error', type: 'text/plain' });
    cms.set('/malformed', { body: '<?xml version="1.0"?>\n<rss version="2.0"><channel><item><title>Broken</title>\n<link>https://review.example.com/x</item></channel></rss>' });
    cms.set('/slow', { delayMs: 5000, body: rss([piece('slow', 'Slow')]) });
    cms.set('/huge', { body: rss(Array.from({ length: 40 }, (_, i) => piece(`huge-${i}`, `Huge ${i}`))) });
    cms.set('/loop-a', { location: '/loop-b' });
    cms.set('/loop-b', { location: '/loop-a' });
    cms.set('/page', { type: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><head><title>Home</title></head><body><h1>The Example Review</h1></body></html>' });
    cms.set('/elsewhere', { location: 'https://cdn.example.net/feed.xml', status: 301 });
    cms.set('/good', { body: rss([piece('rent-caps', 'Rent caps work')]) });
    const ids: Record<string, string> = {};
    for (const p of ['/500', '/malformed', '/slow', '/huge', '/loop-a', '/page', '/elsewhere', '/good']) ids[p] = (await addFeed(t, `${cms.url}${p}`)).id;
    await t.desk.background.runJobs();

    const expect: Record<string, RegExp> = {
      '/500': /HTTP 500/,
      '/malformed': /malformed XML at line 3/,
      '/slow': /no complete answer within 1 seconds/,
      '/huge': /larger than 4096 bytes/,
      '/loop-a': /redirect loop/,
      '/page': /web page \(HTML\), not a feed/,
      '/elsewhere': /redirects to another site \(cdn\.example\.net\)/,
    };
    for (const [p, error] of Object.entries(expect)) {
      const s = await feed(t, ids[p]!);
      assert.equal(s.state, 'failing', p);
      assert.match(s.lastError, error, p);
      assert.ok(s.lastAttemptAt && !s.lastSuccessAt, p);
    }
    assert.equal((await feed(t, ids['/500']!)).lastHttpStatus, 500);
    assert.equal((await feed(t, ids['/good']!)).state, 'ok');
    assert.equal((await article(t, `${site}/opinion/rent-caps`))?.title, 'Rent caps work');
    assert.equal(cms.hitsOf('/cdn.example.net').length, 0);
    // And in the metrics an operator alerts on.
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`letterdesk_feed_failing\\{feed="${ids['/500']}",origin="[a-z]+"\\} 1`));
    assert.match(metrics, new RegExp(`letterdesk_feed_failing\\{feed="${ids['/good']}",origin="[a-z]+"\\} 0`));
    assert.match(metrics, new RegExp(`letterdesk_feed_last_success_timestamp_seconds\\{feed="${ids['/good']}",origin="[a-z]+"\\} [1-9]\\d+`));

    // Mended, the feed recovers at the next poll; its last error stays on record.
    cms.set('/500', { body: rss([piece('mended', 'Back again')]) });
    await pollNow(t, ids['/500']!);
    const mended = await feed(t, ids['/500']!);
    assert.equal(mended.state, 'ok');
    assert.match(mended.lastError, /HTTP 500/);
    assert.ok(Date.parse(mended.lastSuccessAt) >= Date.parse(mended.lastErrorAt));
    assert.equal((await article(t, `${site}/opinion/mended`))?.title, 'Back again');
  });

  test('feeds from ARTICLE_FEEDS are kept by the operator; a removed feed is no longer fetched; a lost poll is queued again', async () => {
    cms.set('/ops-feed', { body: rss([piece('ops', 'From the operator')]) });
    t.ctx.config.articleFeeds = [`${cms.url}/ops-feed`];
    await prepareFeeds(t.ctx);
    const ops = (await feeds(t)).find((f) => f.url === `${cms.url}/ops-feed`);
    assert.equal(ops.origin, 'config');
    assert.equal((await call(t.url, 'DELETE', `/api/v1/feeds/${ops.id}`, { bearer: await t.token('admin') })).status, 409);
    await t.desk.background.runJobs();
    assert.equal((await article(t, `${site}/opinion/ops`))?.title, 'From the operator');

    // A poll job that gave up (say the database was down through its retries) is replaced.
    const lost = await pollJob(t, ops.id);
    await t.ctx.db.writes.run((trx) => trx.updateTable('jobs').set({ done_at: t.ctx.db.dialect.time(new Date()) }).where('id', '=', lost.id).execute());
    await prepareFeeds(t.ctx);
    await pollNow(t, ops.id);
    assert.equal(cms.hitsOf('/ops-feed').length, 2);

    t.ctx.config.articleFeeds = [];
    await prepareFeeds(t.ctx);
    assert.equal((await feeds(t)).some((f) => f.id === ops.id), false);

    const good = (await feeds(t)).find((f) => f.url === `${cms.url}/good`);
    assert.equal((await call(t.url, 'DELETE', `/api/v1/feeds/${good.id}`, { bearer: await t.token('admin') })).status, 204);
    const before = cms.hitsOf('/good').length;
    await t.ctx.db.writes.run((trx) => trx.updateTable('jobs').set({ run_at: t.ctx.db.dialect.time(new Date(0)) }).where('kind', '=', 'poll_feed').where('done_at', 'is', null).execute());
    await t.desk.background.runJobs();
    assert.equal(cms.hitsOf('/good').length, before);
    assert.ok(cms.hitsOf('/feed').length > 3, 'the other feeds were polled');
  });

  test('two app nodes running their jobs at once poll a feed once', async () => {
    const second = await startAppOn(t.db, { FEED_TIMEOUT_SECONDS: '1' });
    try {
      cms.set('/shared', { body: rss([piece('shared', 'Shared')]) });
      await addFeed(t, `${cms.url}/shared`);
      await Promise.all([t.desk.background.runJobs(), second.desk.background.runJobs()]);
      assert.equal(cms.hitsOf('/shared').length, 1);
    } finally {
      await second.close();
    }
  });

  test('the feeds API is for admins, and refuses a bad address or one already polled', async () => {
    const editor = await t.token('editor');
    assert.equal((await call(t.url, 'GET', '/api/v1/feeds', { bearer: editor })).status, 403);
    const admin = await t.token('admin');
    const bad = await call(t.url, 'POST', '/api/v1/feeds', { bearer: admin, body: { url: 'ftp://example.com/feed' } });
    assert.equal(bad.status, 422);
    assert.match(bad.json.fields.url, /http or https/);
    assert.equal((await call(t.url, 'POST', '/api/v1/feeds', { bearer: admin, body: { url: `${cms.url}/feed` } })).status, 409);
  });
});
