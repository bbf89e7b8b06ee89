// Screening benchmarks: article matching throughput against 10,000 articles,
// and the campaign index (insert/query time, memory, recall against exact
// Jaccard on a sample) at growing sizes up to 1,000,000 letters.
// SCREENING_BENCH_MAX caps the largest size (default 1,000,000),
// SCREENING_BENCH_MIN skips the smaller ones.
// Memory is read after a full garbage collection: the JS heap plus the
// typed arrays' buffers outside it (talking points included), not only what
// the index counts in `bytes`.

import v8 from 'node:v8';
import vm from 'node:vm';

import { ArticleIndex } from '../src/matching/article-index.ts';
import { matchArticle } from '../src/matching/match.ts';
import { CampaignIndex } from '../src/screening/campaigns.ts';
import { shingleText } from '../src/screening/shingles.ts';
import { CampaignTemplate, Vocabulary, rng, uniqueLetter } from '../test/screening/synthetic.ts';
import { percentile } from './percentile.ts';

export interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

function benchMatching(emit: (row: Row) => void): void {
  const vocab = new Vocabulary(20000, 9);
  const r = rng(1);
  const index = new ArticleIndex();
  const bodies: string[] = [];
  // Text generation is not timed: only the index build.
  const articles = Array.from({ length: 10000 }, (_, i) => {
    const body = Array.from({ length: 6 }, () => vocab.paragraph(r).join(' ')).join('\n\n');
    bodies.push(body);
    const title = Array.from({ length: 5 }, () => vocab.words[300 + Math.floor(r() * 15000)]).join(' ');
    return { id: `a${i}`, url: `https://news.example.com/a/${i}`, title, publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), body };
  });
  const t0 = performance.now();
  for (const a of articles) index.add(a);
  emit({ name: 'matching: index 10,000 articles', value: Math.round(performance.now() - t0), unit: 'ms' });
  const n = 1000;
  const letters = Array.from({ length: n }, () => {
    const target = Math.floor(r() * 10000);
    const s = bodies[target].split(/(?<=\.)\s+/);
    return { target, body: [s[2], vocab.sentence(r), s[9], vocab.sentence(r)].join(' ') };
  });
  let right = 0;
  const t1 = performance.now();
  for (const { target, body } of letters) {
    const res = matchArticle(index, { body, receivedAt: new Date(Date.UTC(2024, 0, 8)) });
    if (res.candidates[0]?.articleId === `a${target}`) right++;
  }
  const secs = (performance.now() - t1) / 1000;
  emit({ name: 'matching throughput (10,000 articles)', value: Math.round(n / secs), unit: 'letters/s', note: `top candidate right ${right}/${n}` });
}

/** Exact shingle sets of the paragraphs the index treats as units (8+ shingles), sorted. */
function paragraphShingles(text: string): Uint32Array[] {
  return shingleText(text)
    .paragraphs.filter((p) => p.shingles.length >= 8)
    .map((p) => p.shingles.slice().sort());
}

/** Exact Jaccard of two sorted sets (merge). */
function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      both++;
      i++;
      j++;
    }
  }
  return both / (a.length + b.length - both);
}

// A full collection before memory is read, without needing --expose-gc on the command line.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heldBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}


/**
 * Letters arrive at this many a day (SCREENING_BENCH_PER_DAY; default 2,000,
 * a newspaper group's busy day): the talking points keep only the last four
 * weeks' letters, so how long the sizes take to arrive decides their memory.
 */
const PER_DAY = Number(process.env.SCREENING_BENCH_PER_DAY ?? 2000);
const SPACING_MS = 86_400_000 / PER_DAY;

function benchCampaigns(emit: (row: Row) => void, size: number): void {
  const vocab = new Vocabulary(20000, 3);
  const r = rng(size);
  // 1 letter in 4 belongs to one of size/2000 campaigns (4 x 5 paragraph generators).
  const templates = Array.from({ length: Math.max(5, Math.floor(size / 2000)) }, () => new CampaignTemplate(vocab, r));
  const index = new CampaignIndex();
  // Recall sample: every k-th campaign letter (about 2,000 at any size),
  // with its paragraphs' exact shingle sets.
  const sample: { id: string; template: number; paras: Uint32Array[] }[] = [];
  const sampleEvery = Math.max(1, Math.floor(size / 8000));
  let campaignLetters = 0;
  const held0 = heldBytes();
  let insertMs = 0;
  for (let i = 0; i < size; i++) {
    let text: string;
    if (r() < 0.25) {
      const template = Math.floor(r() * templates.length);
      text = templates[template].letter([0, 1, 2, 3].map(() => Math.floor(r() * 5)), vocab, r);
      if (campaignLetters++ % sampleEvery === 0) sample.push({ id: `l${i}`, template, paras: paragraphShingles(text) });
    } else text = uniqueLetter(vocab, r);
    const t = performance.now();
    index.add(`l${i}`, text, Date.UTC(2025, 0, 1) + i * SPACING_MS);
    insertMs += performance.now() - t;
  }
  const held = heldBytes() - held0;
  const rss = process.memoryUsage().rss;
  emit({ name: `campaigns: insert (${size.toLocaleString('en')} letters)`, value: Math.round((insertMs * 1000) / size), unit: 'µs/letter' });
  emit({ name: `campaigns: index memory (${size.toLocaleString('en')} letters)`, value: Math.round(held / 1e6), unit: 'MB', note: `heap + buffers after GC; index.bytes ${Math.round(index.bytes / 1e6)} MB, process RSS ${Math.round(rss / 1e6)} MB; ${PER_DAY.toLocaleString('en')} letters a day; aim at 1,000,000: at most 1 GB` });

  // Query time and recall: a fresh campaign letter should find earlier letters
  // that share a paragraph (exact Jaccard >= 0.6 on some paragraph pair).
  // Probes come from the templates of sampled letters, so that every probe
  // has sampled letters to find.
  let found = 0;
  let expected = 0;
  const times: number[] = [];
  let exactMs = 0;
  const probes = 1000;
  for (let k = 0; k < probes; k++) {
    const t = sample[Math.floor(r() * sample.length)].template;
    const text = templates[t].letter([0, 1, 2, 3].map(() => Math.floor(r() * 5)), vocab, r);
    const t0 = performance.now();
    const hits = index.query(text).map((h) => h.letterId);
    times.push(performance.now() - t0);
    const hitCampaigns = new Set(hits.map((h) => index.campaignOf(h) ?? h));
    // The reference: exact Jaccard of the probe's paragraphs against every
    // sampled letter's, brute force (what the index answers without reading all letters).
    const t1 = performance.now();
    const probe = paragraphShingles(text);
    const shares = sample.map((s) => probe.some((p) => s.paras.some((q) => jaccard(p, q) >= 0.6)));
    exactMs += performance.now() - t1;
    // Sampled earlier letters that truly share a paragraph with the probe.
    for (let i = 0; i < sample.length; i++) {
      const s = sample[i]!;
      if (s.template !== t) continue; // other templates and unique letters share no paragraph
      const share = shares[i];
      if (!share) continue;
      expected++;
      // Linked: found directly, or through the campaign the probe would join.
      if (hitCampaigns.has(index.campaignOf(s.id) ?? s.id)) found++;
    }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / probes;
  emit({ name: `campaigns: query p99 (${size.toLocaleString('en')} letters)`, value: Math.round(percentile(times, 99) * 1000), unit: 'µs', note: `p50 ${Math.round(percentile(times, 50) * 1000)} µs, mean ${Math.round(mean * 1000)} µs, ${probes} probes` });
  const exact = exactMs / probes;
  emit({ name: `campaigns: exact Jaccard brute force, reference (${sample.length.toLocaleString('en')} sampled letters)`, value: Math.round(exact * 1000), unit: 'µs/query', note: `scaled to all ${size.toLocaleString('en')} letters: ~${Math.round((exact * size) / sample.length).toLocaleString('en')} ms/query` });
  emit({ name: `campaigns: recall vs exact paragraph Jaccard ≥ 0.6 (${size.toLocaleString('en')})`, value: expected ? Math.round((found / expected) * 1000) / 1000 : 1, unit: 'ratio', note: `${found}/${expected} sampled pairs linked` });
}

/** `onRow` sees each row as soon as it is measured (the 1,000,000-letter run takes minutes). */
export async function benchScreening(onRow?: (row: Row) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const emit = (row: Row) => {
    rows.push(row);
    onRow?.(row);
  };
  benchMatching(emit);
  const max = Number(process.env.SCREENING_BENCH_MAX ?? 1_000_000);
  const min = Number(process.env.SCREENING_BENCH_MIN ?? 0);
  for (const size of [10_000, 30_000, 100_000, 300_000, 1_000_000]) {
    if (size > max) break;
    if (size < min) continue;
    benchCampaigns(emit, size);
  }
  return rows;
}

if (import.meta.main) {
  await benchScreening((row) => console.log(`${row.name}: ${row.value} ${row.unit}${row.note ? ` (${row.note})` : ''}`));
}
