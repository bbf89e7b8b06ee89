// Property-based fuzzing of the web doors (fast-check, fixed seed, a time
// budget): arbitrary submissions to the JSON API and the HTML form, with the
// script vectors, wrong types, huge and odd strings, broken JSON, retries with
// the same Idempotency-Key. No answer is a server error, none is slower than
// the bound, /healthz is never kept waiting, and every acknowledged letter is
// stored, once. FUZZ_SEED and WEB_FUZZ_BUDGET_MS override the defaults.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import crypto from 'node:crypto';
import fc from 'fast-check';
import { forEachDialect } from '../support/databases.ts';
import { getJson, startTestApp, type TestApp } from '../support/app.ts';
import { describeLatency, pollLatency, warmUp, withinBound } from '../support/latency.ts';
import { readerText, vectors } from '../support/xss.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const BUDGET_MS = Number(process.env.WEB_FUZZ_BUDGET_MS ?? 4000);
const MIN_RUNS = 50;
/** No answer may take longer than this (a shared CI machine included); /healthz meanwhile within 100 ms. */
const ANSWER_BOUND_MS = 2000;
const BOUND_MS = 100;

const text = fc.oneof(
  { weight: 4, arbitrary: readerText() },
  { weight: 1, arbitrary: fc.constantFrom(...vectors().map((v) => v.v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\u202E', 'x'.repeat(25_000), 'word '.repeat(1200), '\uD800', 'a\r\nb') },
);
const anyValue = fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
const email = fc.oneof(fc.emailAddress(), fc.constantFrom('x@', '@x.com', 'a b@c.d', 'pat@example.net', `${'a'.repeat(70)}@example.com`), text);
const submission = fc.record(
  {
    article: fc.oneof(fc.constantFrom('seed-isi-taliban', 'a-data-broker-act', 'nope', 'https://review.example.com/nope', ''), text),
    name: anyValue,
    email,
    town: anyValue,
    body: anyValue,
    consent: fc.oneof(fc.constant(true), fc.constant(false), fc.anything({ maxDepth: 1 })),
    nameDisplay: fc.constantFrom('full', 'initials', 'withheld', 'x'),
    extra: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
/** A valid letter with up to two of its fields replaced by anything at all. */
const prose = fc
  .array(fc.constantFrom('The council', 'should publish', 'its minutes;', 'if fines < profits', 'and profits > 0,', 'the law fails.', 'Zdeněk agrees', '東京 too', 'AT&T', '"quoted"', "it's", '<b>really</b>', '=1+1', '-2', '@all'), { minLength: 4, maxLength: 40 })
  .map((w) => w.join(' '));
const nearlyValid = fc
  .tuple(prose, fc.emailAddress(), fc.array(fc.tuple(fc.constantFrom('article', 'name', 'email', 'town', 'body', 'consent', 'nameDisplay', 'extra'), anyValue), { maxLength: 2 }))
  .map(([body, mail, changes]) => {
    const s: Record<string, unknown> = { article: 'seed-isi-taliban', name: 'Pat Writer', email: mail, town: 'Leeds', body, consent: true };
    for (const [k, v] of changes) s[k] = v;
    return s;
  });
const anySubmission = fc.oneof({ weight: 2, arbitrary: submission }, { weight: 3, arbitrary: nearlyValid });
const request = fc.oneof(
  { weight: 8, arbitrary: anySubmission.map((s) => ({ kind: 'json' as const, body: JSON.stringify(s) })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((s) => ({ kind: 'json' as const, body: s })) },
  { weight: 3, arbitrary: anySubmission.map((s) => ({ kind: 'form' as const, body: new URLSearchParams(Object.entries(s).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString() })) },
);
type RequestCase = { kind: 'json' | 'form'; body: string };

forEachDialect('web doors under property-based fuzzing', (dialect) => {
  let t: TestApp;
  let admin: string;
  let warmUpId = '';
  before(async () => {
    t = await startTestApp(dialect);
    admin = await t.token('admin');
    await warmUp(`${t.url}/healthz`);
    // The first letter compiles the intake path: not counted against the bound.
    const first = await fetch(`${t.url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ article: 'seed-isi-taliban', name: 'Warm Up', email: 'warm@example.net', town: 'Leeds', body: 'A first letter, before the fuzzing starts.', consent: true }) });
    assert.equal(first.status, 202);
    warmUpId = ((await first.json()) as { id: string }).id;
  });
  after(() => t.close());

  test(`arbitrary submissions for ${BUDGET_MS} ms: no 5xx, no slow answer, every acknowledged letter stored once`, async () => {
    const accepted = new Map<string, string>(); // letter id → idempotency key (API) or '' (form)
    const statuses: Record<number, number> = {};
    let slowest = 0;
    let formLetters = 0;
    const probe = pollLatency(`${t.url}/healthz`, 5);
    const started = Date.now();
    // Runs still under way: fast-check stops waiting for the run under way when its time is up.
    const running = new Set<Promise<unknown>>();
    const property = fc.asyncProperty(request, fc.boolean(), (req, retry) => {
      const run = check(req, retry);
      running.add(run);
      return run.finally(() => running.delete(run));
    });
    const check = async (req: RequestCase, retry: boolean) => {
        const key = crypto.randomUUID();
        const send = async () => {
          const t0 = performance.now();
          const res =
            req.kind === 'json'
              ? await fetch(`${t.url}/api/v1/letters`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: req.body })
              : await fetch(`${t.url}/articles/seed-isi-taliban/letter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: req.body, redirect: 'manual' });
          const body = await res.text();
          const ms = performance.now() - t0;
          slowest = Math.max(slowest, ms);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          assert.ok(res.status < 500, `${res.status} for ${req.kind} ${req.body.slice(0, 300)}: ${body.slice(0, 300)}`);
          assert.ok(ms <= ANSWER_BOUND_MS, `${ms.toFixed(0)} ms for ${req.kind} ${req.body.slice(0, 200)}`);
          return { status: res.status, body, location: res.headers.get('location') };
        };
        const first = await send();
        if (req.kind === 'json' && first.status === 202) {
          const id = JSON.parse(first.body).id as string;
          assert.ok(!accepted.has(id), 'a new submission made a new letter');
          accepted.set(id, key);
          if (retry) {
            // A client retrying with the same key gets the same letter, not a second one.
            const again = await send();
            assert.equal(again.status, 202);
            assert.equal(JSON.parse(again.body).id, id);
          }
        } else if (req.kind === 'form' && first.status === 303) {
          assert.match(first.location ?? '', /^\/letters\/[0-9a-f-]{36}\/thanks\?sig=/);
          formLetters++;
        } else {
          assert.ok([400, 413, 415, 422].includes(first.status), `unexpected ${first.status}: ${first.body.slice(0, 200)}`);
        }
      };
    // At least MIN_RUNS cases however slow the machine is, then more for the rest of the budget.
    const seed = SEED + (dialect === 'postgres' ? 1 : 0);
    const least = await fc.check(property, { seed, numRuns: MIN_RUNS });
    const more = least.failed ? null : await fc.check(property, { seed: seed + 1000, numRuns: 100_000, interruptAfterTimeLimit: Math.max(0, BUDGET_MS - (Date.now() - started)) });
    await Promise.all(running);
    const latency = await probe.stop();
    for (const r of [least, more]) if (r?.failed) assert.fail(fc.defaultReportMessage(r) ?? 'property failed');
    const run = { numRuns: least.numRuns + (more?.numRuns ?? 0) };
    assert.ok(accepted.size > 0 && (statuses[422] ?? 0) > 0, `both outcomes seen: ${JSON.stringify(statuses)}`);
    // Stored once: every acknowledged letter is there, and there is nothing else.
    const stored = new Set<string>();
    for (let cursor: string | null = null; ; ) {
      const page = await getJson(`${t.url}/api/v1/letters?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, admin);
      assert.equal(page.status, 200);
      for (const l of page.json.items) stored.add(l.id);
      cursor = page.json.nextCursor;
      if (!cursor) break;
    }
    for (const id of accepted.keys()) {
      if (stored.has(id)) continue;
      // Say whether it is lost or only missing from the listing's pages.
      const direct = await getJson(`${t.url}/api/v1/letters/${id}`, admin);
      assert.fail(`acknowledged ${id} is not in the queue's pages (${stored.size} listed); fetched by id: ${direct.status} ${JSON.stringify(direct.json).slice(0, 300)}`);
    }
    assert.ok(stored.has(warmUpId));
    assert.equal(stored.size, 1 + accepted.size + formLetters, 'no letter stored twice or without an acknowledgement');
    assert.equal(withinBound(latency, BOUND_MS), null, describeLatency(latency));
    console.log(`web fuzz [${dialect}]: ${run.numRuns} cases in ${Date.now() - started} ms, answers ${JSON.stringify(statuses)}, slowest ${slowest.toFixed(0)} ms, ${accepted.size} API + ${formLetters} form letters stored once; ${describeLatency(latency)}`);
  });
});
