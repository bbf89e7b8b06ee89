// The load-shedding rule on its own (src/util/admission.ts), as the doors in
// and the write queue use it: a few always get in; past the limit, or once
// the oldest inside has waited too long, a newcomer is refused at once with
// when to come back (seconds, and the same in words); a place freed is taken
// again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admission } from '../../src/util/admission.ts';
import { Busy, busyOf, inWords } from '../../src/util/busy.ts';

const refused = (fn: () => unknown): Busy => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Busy, `refused with ${(err as Error).message}`);
    return err;
  }
  assert.fail('let in');
};

test('the first `minimum` always get in, however long they wait', async () => {
  const door = admission({ limit: 4, maxWaitMs: 1, minimum: 4, what: 'letters' });
  for (let i = 0; i < 3; i++) door.enter();
  await new Promise((r) => setTimeout(r, 20));
  door.enter();
  assert.equal(door.size(), 4);
});

test('past the limit a newcomer is refused, with when to come back in seconds and in words; a place freed is taken', () => {
  const door = admission({ limit: 40, maxWaitMs: 60_000, minimum: 8, what: 'letters' });
  const tickets = Array.from({ length: 40 }, () => door.enter());
  const busy = refused(() => door.enter());
  assert.ok(busy.retryAfterSeconds >= 1 && busy.retryAfterSeconds <= 10, `Retry-After ${busy.retryAfterSeconds}`);
  assert.match(busy.message, /^The desk is taking more letters than it can store just now; please try again in (a few seconds|about \d+ seconds)\.$/);
  door.leave(tickets[0]!);
  door.enter();
  assert.equal(door.size(), 40);
});

test('once the oldest inside has waited too long, newcomers are refused until it is answered', async () => {
  const door = admission({ limit: 1000, maxWaitMs: 20, minimum: 2, what: 'messages' });
  const first = door.enter();
  door.enter();
  door.enter();
  // Longer than maxWaitMs: the oldest has now waited too long.
  await new Promise((r) => setTimeout(r, 40));
  assert.match(refused(() => door.enter()).message, /more messages than/);
  door.leave(first);
  // The next oldest came in at the same moment: still too long.
  refused(() => door.enter());
});

test('once the door knows its rate, it lets in no more than it lets out in the time allowed', async () => {
  const door = admission({ limit: 1000, maxWaitMs: 100, minimum: 5, what: 'letters' });
  // 100 let out, 10 every 50 ms: half a second at least, so a rate of at most about 200 a second, at most about 20 in 100 ms.
  const first = Array.from({ length: 100 }, () => door.enter());
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 50));
    for (const t of first.slice(i * 10, i * 10 + 10)) door.leave(t);
  }
  let admitted = 0;
  for (; admitted < 1000; admitted++) {
    try {
      door.enter();
    } catch (err) {
      assert.ok(err instanceof Busy);
      break;
    }
  }
  assert.ok(admitted >= 5 && admitted <= 25, `let in ${admitted} at once, far past what it lets out in 100 ms`);
});

test('a cold door takes a burst: its first ones out give no rate', async () => {
  const door = admission({ limit: 1000, maxWaitMs: 200, minimum: 5, what: 'letters' });
  const first = Array.from({ length: 100 }, () => door.enter());
  await new Promise((r) => setTimeout(r, 10));
  door.leave(first[0]!);
  // One out after 10 ms is no rate: the burst goes on being let in.
  for (let i = 0; i < 100; i++) door.enter();
  assert.equal(door.size(), 199);
  // The oldest's wait still guards: past the wait allowed, newcomers are refused.
  await new Promise((r) => setTimeout(r, 250));
  refused(() => door.enter());
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admitAll = (door: ReturnType<typeof admission>, n: number) => {
  let admitted = 0;
  for (; admitted < n; admitted++) {
    try {
      door.enter();
    } catch (err) {
      assert.ok(err instanceof Busy);
      break;
    }
  }
  return admitted;
};

test('a cold door over a slow database lets in no more than it lets out in the time allowed', async () => {
  // The doors' own settings (server/http.ts, db/writer-thread.ts).
  const door = admission({ limit: 512, maxWaitMs: 1000, minimum: 32, what: 'letters' });
  const first = Array.from({ length: 100 }, () => door.enter());
  // The database answers 20 a second: one every 50 ms, for half a second.
  for (let i = 0; i < 10; i++) {
    await sleep(50);
    door.leave(first[i]!);
  }
  // At 20 a second, a second's wait is 20 letters; 90 are already in.
  const admitted = admitAll(door, 1000);
  assert.ok(admitted <= 10, `let in ${admitted} more beside the 90 waiting, while the door lets out 20 a second (${door.size()} in: ${Math.round(door.size() / 20)} s for the last)`);
});

test('a door that let out a trickle takes a burst as a cold one does', async () => {
  const door = admission({ limit: 512, maxWaitMs: 1000, minimum: 32, what: 'letters' });
  // A quiet desk: a letter now and then, answered at once.
  door.leave(door.enter());
  await sleep(1500);
  door.leave(door.enter());
  // Then a burst (a newsletter goes out), the database as fast as ever.
  const admitted = admitAll(door, 100);
  assert.equal(admitted, 100, `a burst refused after ${admitted}: the trickle's 2 letters in 1.5 s read as the door's rate`);
  // A cold door, for comparison, takes it.
  const cold = admission({ limit: 512, maxWaitMs: 1000, minimum: 32, what: 'letters' });
  assert.equal(admitAll(cold, 100), 100);
});

test('a slow database whose first commit lets out ten at once is not read as 10,000 a second', async () => {
  // The doors' own settings (server/http.ts, db/writer-thread.ts).
  const door = admission({ limit: 512, maxWaitMs: 1000, minimum: 32, what: 'letters' });
  const first = Array.from({ length: 100 }, () => door.enter());
  // The same 20 a second as admission.test.ts's 'cold door over a slow
  // database', but as the writer thread answers: one commit after half a
  // second, its ten callers resolved in the same turn.
  await sleep(500);
  for (let i = 0; i < 10; i++) door.leave(first[i]!);
  const admitted = admitAll(door, 1000);
  assert.ok(admitted <= 10, `let in ${admitted} more beside the 90 waiting, while the door lets out 20 a second (${door.size()} in: ${Math.round(door.size() / 20)} s for the last)`);
});

test('a desk taking five letters a second, each answered at once, takes a burst as a cold one does', async () => {
  const door = admission({ limit: 512, maxWaitMs: 1000, minimum: 32, what: 'letters' });
  for (let i = 0; i < 10; i++) {
    door.leave(door.enter());
    await sleep(200);
  }
  const admitted = admitAll(door, 100);
  assert.equal(admitted, 100, `a burst refused after ${admitted}: 10 letters in 2 s read as the door's rate (5 a second) though each was answered at once`);
});

test('a limit set below the few always let in still holds', () => {
  const door = admission({ limit: 32, maxWaitMs: 60_000, minimum: 32, what: 'letters' });
  for (let i = 0; i < 32; i++) door.enter();
  refused(() => door.enter());
  const small = admission({ limit: 3, maxWaitMs: 60_000, minimum: 32, what: 'letters' });
  for (let i = 0; i < 3; i++) small.enter();
  refused(() => small.enter(3));
});

test('a ticket left twice frees one place', () => {
  const door = admission({ limit: 3, maxWaitMs: 60_000, minimum: 1, what: 'letters' });
  const t = door.enter();
  door.enter();
  door.enter();
  door.leave(t);
  door.leave(t);
  door.enter();
  refused(() => door.enter());
});

test('when, in words', () => {
  assert.equal(inWords(0.2), 'in a few seconds');
  assert.equal(inWords(5), 'in a few seconds');
  assert.equal(inWords(40), 'in about 40 seconds');
  assert.equal(inWords(60), 'in about a minute');
  assert.equal(inWords(900), 'in about 15 minutes');
  assert.equal(inWords(3600), 'in about an hour');
  assert.equal(inWords(3 * 3600), 'in about 3 hours');
});

test('a Busy is found under the error it caused', () => {
  const busy = new Busy('later', 3);
  assert.equal(busyOf(new Error('stored but not settled', { cause: busy })), busy);
  assert.equal(busyOf(new Error('a fault')), null);
});
