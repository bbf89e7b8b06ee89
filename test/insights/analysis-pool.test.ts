// The insights' workers: a grouping runs in a thread of lower CPU priority
// (on two cores a grouping of thousands of letters took a core for seconds,
// and a burst's placements and acknowledgements fell behind), placing in one
// of its own at the process's priority.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { analyseInWorker, placeInWorker } from '../../src/insights-store/analysis-pool.ts';
import { loadInsightLetters } from './corpus.ts';

/** Each thread of this process and its nice value (Linux: /proc/self/task/TID/stat, field 19). */
function niceOfThreads(): number[] {
  return fs.readdirSync('/proc/self/task').map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

test('the grouping worker runs at nice 10, the placing worker at the process priority', { skip: process.platform !== 'linux' ? 'thread priorities are read from /proc on Linux' : false }, async () => {
  const before = niceOfThreads().filter((n) => n === 10).length;
  const letters = loadInsightLetters().get('seed-isi-taliban')!.slice(0, 20).map((l) => ({ id: l.id, body: l.body }));
  const article = { id: 'seed-isi-taliban', title: 'Is Pakistan a Bigger Obstacle to Peace Than the Taliban?' };
  const placed = await placeInWorker([{ key: `a|${Date.now()}`, article, letters: letters.slice(0, 2), state: () => ({ themes: null, stanceModel: null }) }]);
  assert.equal(placed.length, 2);
  assert.equal(niceOfThreads().filter((n) => n === 10).length, before, 'placing is not lowered');
  const grouped = await analyseInWorker({ article, letters, taught: null, previous: null, stanceModel: null });
  assert.ok(grouped.themes);
  assert.equal(niceOfThreads().filter((n) => n === 10).length, before + 1, 'one thread more at nice 10: the grouping worker');
});
