// The campaign index's compact letter ids (letter-ids.ts) answer as the
// string array and Map they replace: every letter's id back, present ids
// found, removed ones not (and addable again as new letters), ids of every
// shape (Latin-1, wider characters, empty, long) through table rebuilds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LetterIds } from '../../src/screening/letter-ids.ts';
import { rng } from './synthetic.ts';

test('letter ids give back each id and find present ones, as an array and a Map do, through removals and re-adds', () => {
  const r = rng(5);
  const ids = new LetterIds();
  const all: string[] = [];
  const present = new Map<string, number>();
  const shapes = [
    (i: number) => `l${i}`,
    (i: number) => `0190d7a2-6c1e-7${(i % 4096).toString(16).padStart(3, '0')}-8a3b-${i.toString(16).padStart(12, '0')}`,
    (i: number) => `lettré-${i}`,
    (i: number) => `ü€-${i}`,
    (i: number) => 'x'.repeat(250 + (i % 10)) + i,
    () => '',
  ];
  for (let i = 0; i < 30000; i++) {
    let id = shapes[Math.floor(r() * shapes.length)]!(i);
    // Now and then an id removed earlier comes back.
    if (r() < 0.02 && all.length) {
      const old = all[Math.floor(r() * all.length)]!;
      if (!present.has(old)) id = old;
    }
    if (present.has(id)) continue;
    const l = ids.add(id);
    assert.equal(l, all.length);
    all.push(id);
    present.set(id, l);
    if (r() < 0.1) {
      const victim = all[Math.floor(r() * all.length)]!;
      const v = present.get(victim);
      if (v !== undefined) {
        ids.remove(v);
        present.delete(victim);
      }
    }
    if (i % 1000 === 0) {
      for (let k = 0; k < all.length; k++) assert.equal(ids.id(k), all[k]);
      for (const [s, k] of present) assert.equal(ids.get(s), k);
      for (const s of all) if (!present.has(s)) assert.equal(ids.get(s), undefined);
    }
  }
  assert.equal(ids.size, all.length);
  assert.equal(ids.get('never added'), undefined);
});
