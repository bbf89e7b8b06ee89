// Every feed format a CMS serves, polled from a real HTTP server on loopback
// into the desk's articles: RSS 2.0, Atom, JSON Feed 1.1, a sitemap index
// with plain and Google News sitemaps, and WordPress's REST API over two
// pages. Each article carries what its feed gives (title, author, date,
// section, text); the feed's HTML becomes text, and nothing of its markup or
// scripts survives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startFeedServer, type FeedServer } from './feed-server.ts';
import { atom, jsonFeed, newsSitemap, rss, sitemap, sitemapIndex, wpPosts, type Piece } from './documents.ts';
import { addFeed, article, feed } from './support.ts';

const HOSTILE_HTML =
  '<p>The council voted <strong>7 to 4</strong> to raise tram fares &amp; cut the night service.</p><script>window.__x = 1; alert("x")</script><style>p{color:red}</style><p onclick="alert(2)">Riders were not asked.</p><iframe src="javascript:alert(3)"></iframe>';

function piece(site: string, slug: string, extra: Partial<Piece> = {}): Piece {
  return { url: `${site}/2024/05/${slug}/`, title: `Headline ${slug}`, author: 'Dana Reyes', date: '2024-05-01T09:30:00.000Z', section: 'Opinion', html: `<p>Text of ${slug}.</p>`, ...extra };
}

forEachDialect('articles from every feed format', (dialect) => {
  let t: TestApp;
  let cms: FeedServer;
  const site = 'https://review.example.com';

  before(async () => {
    t = await startTestApp(dialect);
    cms = await startFeedServer();
  });
  after(async () => {
    await cms?.close();
    await t?.close();
  });

  test('RSS 2.0: title, link, dc:creator, pubDate, category and content:encoded as text', async () => {
    cms.set('/rss', { type: 'application/rss+xml; charset=utf-8', body: rss([piece(site, 'tram-fares', { title: 'Tram fares: a rise “nobody asked for”', html: HOSTILE_HTML }), piece(site, 'second-rss')]) });
    const f = await addFeed(t, `${cms.url}/rss`);
    await t.desk.background.runJobs();
    const a = await article(t, `${site}/2024/05/tram-fares/`);
    assert.ok(a, 'the article is in the desk');
    assert.equal(a.title, 'Tram fares: a rise “nobody asked for”');
    assert.equal(a.author, 'Dana Reyes');
    assert.equal(a.section, 'Opinion');
    assert.equal(a.publishedAt?.toISOString(), '2024-05-01T09:30:00.000Z');
    assert.match(a.body ?? '', /The council voted 7 to 4 to raise tram fares & cut the night service\./);
    assert.match(a.body ?? '', /Riders were not asked\./);
    assert.doesNotMatch(a.body ?? '', /alert|script|<|color:red|onclick/);
    const status = await feed(t, f.id);
    assert.equal(status.state, 'ok');
    assert.equal(status.detectedFormat, 'rss');
    assert.equal(status.itemsSeen, 2);
    assert.equal(status.articlesAdded, 2);
  });

  test('Atom: the alternate link, published date, author, category label and HTML content', async () => {
    cms.set('/atom.xml', { type: 'application/atom+xml', body: atom([piece(site, 'atom-piece', { title: 'Bins & buses', section: 'Local politics' })]) });
    await addFeed(t, `${cms.url}/atom.xml`, 'atom');
    await t.desk.background.runJobs();
    const a = await article(t, `${site}/2024/05/atom-piece/`);
    assert.equal(a?.title, 'Bins & buses');
    assert.equal(a?.section, 'Local politics');
    assert.equal(a?.author, 'Dana Reyes');
    assert.equal(a?.body, 'Text of atom-piece.');
  });

  test('JSON Feed 1.1: url, title, authors, date_published, tags and content_html', async () => {
    cms.set('/feed.json', { type: 'application/feed+json', body: jsonFeed([piece(site, 'json-piece', { author: 'Sam Okafor', section: 'Climate' })]) });
    await addFeed(t, `${cms.url}/feed.json`);
    await t.desk.background.runJobs();
    const a = await article(t, `${site}/2024/05/json-piece/`);
    assert.equal(a?.title, 'Headline json-piece');
    assert.equal(a?.author, 'Sam Okafor');
    assert.equal(a?.section, 'Climate');
    assert.equal(a?.publishedAt?.toISOString(), '2024-05-01T09:30:00.000Z');
  });

  test('a sitemap index: its newest sitemaps are read, news sitemaps give the headline, plain ones a headline from the URL', async () => {
    cms.set('/sitemap_index.xml', {
      body: sitemapIndex([
        { url: `${cms.url}/sitemap-old.xml`, lastmod: '2019-01-01' },
        { url: `${cms.url}/news-sitemap.xml`, lastmod: '2024-05-02T08:00:00Z' },
        { url: `${cms.url}/post-sitemap.xml`, lastmod: '2024-05-01' },
      ]),
    });
    cms.set('/news-sitemap.xml', { body: newsSitemap([piece(site, 'news-piece', { title: 'Harbour plan “a gift to developers”', date: '2024-05-02T07:15:00Z' })]) });
    cms.set('/post-sitemap.xml', { body: sitemap([{ url: `${site}/2024/05/library-hours-cut/`, lastmod: '2024-05-01T10:00:00+00:00' }]) });
    cms.set('/sitemap-old.xml', { body: sitemap([{ url: `${site}/2019/01/old-piece/` }]) });
    const f = await addFeed(t, `${cms.url}/sitemap_index.xml`);
    await t.desk.background.runJobs();
    const news = await article(t, `${site}/2024/05/news-piece/`);
    assert.equal(news?.title, 'Harbour plan “a gift to developers”');
    assert.equal(news?.publishedAt?.toISOString(), '2024-05-02T07:15:00.000Z');
    const plain = await article(t, `${site}/2024/05/library-hours-cut/`);
    assert.equal(plain?.title, 'Library hours cut');
    assert.equal(plain?.body, null, 'a sitemap gives no text');
    assert.ok(await article(t, `${site}/2019/01/old-piece/`), 'three sitemaps are within the five read per poll');
    assert.equal((await feed(t, f.id)).detectedFormat, 'sitemap-index');
  });

  test('a sitemap does not clear what a richer source gave the same article', async () => {
    const url = `${site}/2024/05/tram-fares/`;
    cms.set('/tram-sitemap.xml', { body: sitemap([{ url, lastmod: '2024-05-01T09:30:00Z' }]) });
    await addFeed(t, `${cms.url}/tram-sitemap.xml`);
    await t.desk.background.runJobs();
    const a = await article(t, url);
    assert.equal(a?.author, 'Dana Reyes');
    assert.match(a?.body ?? '', /tram fares/);
  });

  test('WordPress REST API: posts over two pages, author and category embedded, entities decoded', async () => {
    const posts = Array.from({ length: 3 }, (_, i) => piece(site, `wp-post-${i}`, { title: `Why we're wrong about parking ${i}`, author: 'Lee Park', section: 'Transport', date: `2024-05-0${i + 1}T10:00:00Z` }));
    const path = '/wp-json/wp/v2/posts';
    cms.set(`${path}?per_page=100&orderby=modified&order=desc&_embed=author%2Cwp%3Aterm&page=1`, { type: 'application/json; charset=UTF-8', body: wpPosts(posts.slice(0, 2)), headers: { 'x-wp-total': '3', 'x-wp-totalpages': '2' } });
    cms.set(`${path}?per_page=100&orderby=modified&order=desc&_embed=author%2Cwp%3Aterm&page=2`, { type: 'application/json; charset=UTF-8', body: wpPosts(posts.slice(2), 200), headers: { 'x-wp-total': '3', 'x-wp-totalpages': '2' } });
    const f = await addFeed(t, `${cms.url}${path}`);
    await t.desk.background.runJobs();
    for (let i = 0; i < 3; i++) {
      const a = await article(t, `${site}/2024/05/wp-post-${i}/`);
      assert.equal(a?.title, `Why we’re wrong about parking ${i}`);
      assert.equal(a?.author, 'Lee Park');
      assert.equal(a?.section, 'Transport');
      assert.equal(a?.publishedAt?.toISOString(), `2024-05-0${i + 1}T10:00:00.000Z`);
    }
    const status = await feed(t, f.id);
    assert.equal(status.detectedFormat, 'wordpress');
    assert.equal(status.itemsSeen, 3);
  });
});
