import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArticleIndex, type Article } from '../../src/matching/article-index.ts';
import { DEFAULT_MATCH_THRESHOLD, matchArticle, stripReplyPrefixes } from '../../src/matching/match.ts';
import { extractUrls, normaliseUrl } from '../../src/matching/url.ts';
import { loadArticles, loadMails } from '../screening/corpus.ts';
import { Vocabulary, rng } from '../screening/synthetic.ts';

test('corpus: every letter whose label names an article is matched to it', async () => {
  const index = new ArticleIndex(loadArticles());
  const letters = (await loadMails()).filter((m) => m.label.kind === 'letter');
  let right = 0;
  let named = 0;
  const wrong: string[] = [];
  for (const m of letters) {
    const r = matchArticle(index, { subject: m.subject, body: m.body, receivedAt: m.date });
    if (m.label.article === null) {
      assert.ok(r.candidates.length > 0, 'unmatched letters still get candidates');
      continue;
    }
    named++;
    if (r.articleId === m.label.article) right++;
    else wrong.push(`${m.file}: ${r.articleId} (${r.method} ${r.confidence})`);
  }
  console.log(`article matching accuracy ${right}/${named} = ${(right / named).toFixed(3)}`);
  assert.deepEqual(wrong, []);
});

test('URL variants normalise to the article key', () => {
  const canonical = normaliseUrl('https://review.example.com/local/2010/10/riverside-tram-delayed-again/')!.key;
  for (const v of [
    'http://www.review.example.com/local/2010/10/riverside-tram-delayed-again',
    'https://review.example.com/local/2010/10/riverside-tram-delayed-again/?utm_source=twitter&utm_medium=social#comments',
    'HTTPS://Review.Example.com/local/2010/10/riverside-tram-delayed-again/amp/',
    'review.example.com/local/2010/10/riverside-tram-delayed-again/?fbclid=abc',
  ]) {
    assert.equal(normaliseUrl(v)!.key, canonical, v);
  }
  assert.deepEqual(extractUrls('see (https://a.example.com/x/y/).'), ['https://a.example.com/x/y/']);
  assert.equal(stripReplyPrefixes('Re: Fwd: AW: “Counting Down in Helmand”'), 'Counting Down in Helmand');
});

const ARTICLES: Article[] = loadArticles();

test('letters in other languages match when they link or name the article', () => {
  const index = new ArticleIndex(ARTICLES);
  const de = matchArticle(index, {
    subject: 'Leserbrief',
    body: 'Sehr geehrte Redaktion, zu Ihrem Artikel https://www.review.example.com/culture/2010/10/harbor-museum-lost-maps?utm_campaign=x möchte ich anmerken, dass Museen mehr Personal brauchen.',
    receivedAt: '2010-10-25',
  });
  assert.equal(de.articleId, 'a-museum-maps');
  assert.equal(de.method, 'url');
  const it = matchArticle(index, {
    subject: 'Lettera',
    body: 'Gentile direttore, il vostro articolo «The Funding Formula That Shortchanges Small Schools» dimentica le scuole di montagna, dove i costi sono ben diversi.',
    receivedAt: '2010-11-06',
  });
  assert.equal(it.articleId, 'a-school-formula');
  assert.equal(it.method, 'headline');
});

test('headline in the subject: exact, "Re:", shortened', () => {
  const index = new ArticleIndex(ARTICLES);
  for (const subject of ['Re: Counting Down in Helmand', 'The Arithmetic of NATO\'s Exit', 'counting down in helmand: the arithmetic of nato’s exit']) {
    const r = matchArticle(index, { subject, body: 'I have a view on this.', receivedAt: '2010-11-05' });
    assert.equal(r.articleId, 'a-nato-drawdown', subject);
    assert.equal(r.method, 'headline');
  }
});

test('form letters keep their article; unrelated text stays unmatched with candidates', () => {
  const index = new ArticleIndex(ARTICLES);
  const f = matchArticle(index, { body: 'anything', formArticleId: 'a-museum-maps' });
  assert.deepEqual([f.articleId, f.method, f.confidence], ['a-museum-maps', 'form', 1]);
  const u = matchArticle(index, {
    subject: 'Hello',
    body: 'My cat enjoys sleeping on the warm windowsill in the afternoon sun, and the neighbours wave at her.',
    receivedAt: '2010-11-05',
  });
  assert.equal(u.articleId, null);
  assert.ok(u.confidence < DEFAULT_MATCH_THRESHOLD);
});

test('articles can be added and removed', () => {
  const index = new ArticleIndex(ARTICLES);
  const letter = { subject: 'Bees', body: 'Your piece on urban beekeeping rooftop hives and honey yields was delightful; rooftop hives need shade.', receivedAt: '2010-11-10' };
  assert.equal(matchArticle(index, letter).articleId, null);
  index.add({ id: 'bees', url: 'https://review.example.com/local/bees', title: 'Rooftop Hives Come to Eastbank', author: 'A. Writer', publishedAt: '2010-11-08T00:00:00Z', section: 'Local', body: 'Urban beekeeping is growing. Rooftop hives on three buildings produced honey yields that surprised their keepers. Hives need shade and water.' });
  assert.equal(matchArticle(index, letter).articleId, 'bees');
  index.remove('bees');
  assert.equal(matchArticle(index, letter).articleId, null);
  assert.equal(index.size, ARTICLES.length);
});

test('10,000 articles: built quickly, letters matched by text', () => {
  const vocab = new Vocabulary(20000, 9);
  const r = rng(1);
  const index = new ArticleIndex();
  const bodies: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 10000; i++) {
    const body = Array.from({ length: 6 }, () => vocab.paragraph(r).join(' ')).join('\n\n');
    bodies.push(body);
    // Headlines are made of distinctive words, not the most common ones.
    const title = Array.from({ length: 4 + Math.floor(r() * 4) }, () => vocab.words[300 + Math.floor(r() * 15000)]).join(' ');
    index.add({ id: `a${i}`, url: `https://news.example.com/a/${i}`, title, author: null, publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), section: i % 10 === 0 ? 'Opinion' : 'News', body });
  }
  const built = performance.now() - t0;
  let right = 0;
  let top = 0;
  const t1 = performance.now();
  for (let k = 0; k < 50; k++) {
    const target = Math.floor(r() * 10000);
    // A letter that picks up a few sentences of the article plus its own words.
    const sentences = bodies[target].split(/(?<=\.)\s+/);
    const body = [sentences[3], vocab.sentence(r), sentences[10], vocab.sentence(r)].join(' ');
    const res = matchArticle(index, { body, receivedAt: new Date(Date.UTC(2024, 0, 8)) });
    if (res.articleId === `a${target}`) right++;
    if (res.candidates[0]?.articleId === `a${target}`) top++;
  }
  const per = (performance.now() - t1) / 50;
  console.log(`10k articles built in ${built.toFixed(0)} ms; ${per.toFixed(1)} ms per letter; top candidate right ${top}/50, matched above threshold ${right}/50`);
  assert.ok(top >= 45);
});
