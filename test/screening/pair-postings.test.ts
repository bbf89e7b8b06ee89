// The talking points' compact postings (pair-postings.ts) answer as the
// plain Map<hash, letters[]> they replace: same letters, same order, through
// a window that slides (oldest letters removed), erasures in the middle, and
// pairs going from one letter to many and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PairPostings, RecentValues, SequenceLog } from '../../src/screening/pair-postings.ts';
import { rng } from './synthetic.ts';

test('postings hold the same letters, in order, as a Map of arrays through a sliding window and erasures', () => {
  const r = rng(7);
  const postings = new PairPostings();
  const model = new Map<number, number[]>();
  // Few hashes (many shared pairs) and hashes that collide in the table's low bits.
  const hashes = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? ((i * 4096 + 5) >>> 0) : ((Math.floor(r() * 2 ** 32) >>> 0) || 1)));
  const letterPairs: number[][] = [];
  let oldest = 0;
  for (let letter = 0; letter < 6000; letter++) {
    const mine = new Set<number>();
    const n = 1 + Math.floor(r() * 30);
    // Skewed: low hashes are frequent, so some lists grow long.
    for (let k = 0; k < n; k++) mine.add(hashes[Math.floor(r() ** 3 * hashes.length)]!);
    for (const h of mine) {
      postings.add(h, letter);
      model.set(h, [...(model.get(h) ?? []), letter]);
    }
    letterPairs.push([...mine]);
    const drop = (l: number) => {
      for (const h of letterPairs[l]!) {
        postings.delete(h, l);
        const list = model.get(h)?.filter((x) => x !== l) ?? [];
        if (list.length) model.set(h, list);
        else model.delete(h);
      }
      letterPairs[l] = [];
    };
    // The window: 400 to 1,500 letters, varying so that lists shrink and grow.
    const width = 400 + Math.floor(1100 * Math.abs(Math.sin(letter / 700)));
    while (oldest < letter - width) drop(oldest++);
    if (r() < 0.05) drop(oldest + Math.floor(r() * (letter - oldest)));
    if (letter % 250 === 0) {
      for (const h of hashes) {
        const want = model.get(h) ?? [];
        for (const max of [1, 5, 100000]) {
          const got: number[] = [];
          postings.forRecent(h, max, (l) => got.push(l));
          assert.deepEqual(got, want.slice(Math.max(0, want.length - max)), `hash ${h}, letter ${letter}`);
        }
      }
    }
  }
});

test('the sequence log gives back each letter sequence until it is forgotten or cleared', () => {
  const r = rng(11);
  const log = new SequenceLog();
  const kept: Uint32Array[] = [];
  let forgotten = 0;
  for (let letter = 0; letter < 5000; letter++) {
    const seq = Uint32Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 2 ** 32));
    log.push(seq);
    kept.push(seq);
    if (r() < 0.02) {
      const l = forgotten + Math.floor(r() * (letter - forgotten));
      log.clear(l);
      kept[l] = new Uint32Array(0);
    }
    while (forgotten < letter - 300 - Math.floor(r() * 300)) forgotten++;
    log.forgetBefore(forgotten);
    if (letter % 100 === 0) for (let l = forgotten; l <= letter; l++) assert.deepEqual(log.get(l), kept[l], `letter ${l}`);
  }
});

test('recent values give back each letter value until it is forgotten', () => {
  const r = rng(13);
  const values = new RecentValues();
  const kept: number[] = [];
  let forgotten = 0;
  for (let letter = 0; letter < 20000; letter++) {
    const v = r() < 0.1 ? -1 : Math.floor(r() * 2 ** 32);
    values.push(v);
    kept.push(v);
    // The window grows and shrinks.
    const width = 100 + Math.floor(1000 * Math.abs(Math.sin(letter / 3000)));
    while (forgotten < letter - width) forgotten++;
    values.forgetBefore(forgotten);
    if (letter % 97 === 0) for (let l = forgotten; l <= letter; l++) assert.equal(values.get(l), kept[l], `letter ${l}`);
  }
});

test('the sequence log keeps its sequences through a window that grows and shrinks (the buffer resized both ways)', () => {
  const r = rng(17);
  const log = new SequenceLog();
  const kept: Uint32Array[] = [];
  let forgotten = 0;
  let most = 0;
  // Ends where the window is narrowest again (sin near 0 at 2 pi).
  for (let letter = 0; letter < 15700; letter++) {
    const seq = Uint32Array.from({ length: Math.floor(r() * 100) }, () => 1 + Math.floor(r() * (2 ** 32 - 1)));
    log.push(seq);
    kept.push(seq);
    const width = 20 + Math.floor(3000 * Math.abs(Math.sin(letter / 2500)));
    while (forgotten < letter - width) forgotten++;
    log.forgetBefore(forgotten);
    most = Math.max(most, log.bytes);
    if (letter % 89 === 0) for (let l = forgotten; l <= letter; l++) assert.deepEqual(log.get(l), kept[l], `letter ${l}`);
    for (let l = Math.max(0, forgotten - 5); l < forgotten; l++) assert.equal(log.get(l).length, 0, `forgotten letter ${l}`);
  }
  // It shrank back from the widest window (3,000 letters of ~50 pairs).
  assert.ok(log.bytes < most / 2, `${log.bytes} of at most ${most} bytes`);
});
