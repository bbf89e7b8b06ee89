// Invariants of the insights engine: voices arithmetic, representatives
// inside their theme, theme ids that persist as letters arrive and when the
// letters are grouped again, taught filings and stances that stick,
// renames and merges that survive the next grouping.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseArticle,
  assignToTheme,
  countVoices,
  fileLetter,
  groupThemes,
  mergeThemes,
  renameTheme,
  setStance,
  voiceCount,
  type LetterText,
  type ThemeSet,
} from '../../src/insights/index.ts';
import { loadInsightArticles, loadInsightLetters } from './corpus.ts';

const articles = loadInsightArticles();
const corpus = loadInsightLetters();
const TRAM = 'a-riverside-tram';
const ISI = 'seed-isi-taliban';
const lettersOf = (id: string): LetterText[] => corpus.get(id)!.map((l) => ({ id: l.id, body: l.body, campaignId: l.campaign }));

function themeOf(set: ThemeSet): Map<string, string> {
  const m = new Map<string, string>();
  for (const t of set.themes) for (const id of t.letterIds) m.set(id, t.id);
  return m;
}

test('voices = letters - campaign letters + campaigns, overall and per theme', () => {
  for (const id of [TRAM, ISI]) {
    const letters = lettersOf(id);
    const v = voiceCount(letters);
    const campaignLetters = letters.filter((l) => l.campaignId).length;
    const campaigns = new Set(letters.filter((l) => l.campaignId).map((l) => l.campaignId)).size;
    assert.equal(v.voices, letters.length - campaignLetters + campaigns);
    assert.ok(campaignLetters >= 6 && campaigns === 1, 'the corpus has one campaign per article');
    const set = groupThemes({ article: articles.get(id)!, letters });
    const byId = new Map(letters.map((l) => [l.id, l]));
    for (const t of set.themes) {
      assert.equal(t.voices, countVoices(t.letterIds.map((x) => byId.get(x)!)), `theme ${t.id} voices`);
      assert.equal(t.letters, t.letterIds.length);
    }
    // Every letter is under exactly one theme or unassigned; campaign letters stay together.
    const all = [...set.themes.flatMap((t) => t.letterIds), ...set.unassigned];
    assert.equal(all.length, letters.length);
    assert.equal(new Set(all).size, letters.length);
    const of = themeOf(set);
    const campaignThemes = new Set(letters.filter((l) => l.campaignId).map((l) => of.get(l.id)));
    assert.equal(campaignThemes.size, 1, 'a campaign is one voice: all its letters in one theme');
  }
});

test('every representative belongs to its theme, with a sentence from its letter', () => {
  for (const id of [TRAM, ISI]) {
    const letters = lettersOf(id);
    const body = new Map(letters.map((l) => [l.id, l.body.replace(/\s+/g, ' ')]));
    const set = groupThemes({ article: articles.get(id)!, letters });
    for (const t of set.themes) {
      assert.ok(t.representatives.length >= 1 && t.representatives.length <= 3);
      const campaigns = new Set<string>();
      for (const r of t.representatives) {
        assert.ok(t.letterIds.includes(r.letterId), `representative ${r.letterId} in theme ${t.id}`);
        assert.ok(body.get(r.letterId)!.includes(r.sentence.replace(/…$/, '')), 'sentence comes from the letter');
        const c = letters.find((l) => l.id === r.letterId)!.campaignId;
        if (c) {
          assert.ok(!campaigns.has(c), 'a campaign gives at most one representative');
          campaigns.add(c);
        }
      }
      assert.ok(t.label.length > 0 && t.phrases.length > 0, 'labelled by phrases');
    }
  }
});

test('themes keep their ids as letters arrive (assignment) and when grouped again', () => {
  for (const id of [TRAM, ISI]) {
    const letters = lettersOf(id);
    const article = articles.get(id)!;
    const first = groupThemes({ article, letters: letters.slice(0, 45) });
    // Arriving letters go to existing themes (or none); no theme appears or vanishes.
    for (const l of letters.slice(45)) {
      const a = assignToTheme(first, l);
      assert.ok(a.themeId === null || first.themes.some((t) => t.id === a.themeId));
      assert.ok(a.score >= 0 && a.score <= 1.0001);
    }
    // Grouping again with the same letters gives the same themes and ids.
    const again = groupThemes({ article, letters: letters.slice(0, 45), previous: first });
    assert.deepEqual(
      again.themes.map((t) => [t.id, [...t.letterIds].sort()]).sort(),
      first.themes.map((t) => [t.id, [...t.letterIds].sort()]).sort(),
    );
    // Grouping with the new letters: a theme that persists (most of its letters still together) keeps its id.
    const later = groupThemes({ article, letters, previous: first });
    const laterOf = themeOf(later);
    let kept = 0;
    for (const t of first.themes) {
      const counts = new Map<string, number>();
      for (const x of t.letterIds) counts.set(laterOf.get(x) ?? '', (counts.get(laterOf.get(x) ?? '') ?? 0) + 1);
      const [bestId, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      const target = later.themes.find((u) => u.id === bestId);
      if (target && n / t.letterIds.length >= 0.6 && n / target.letterIds.length >= 0.6) {
        assert.equal(bestId, t.id, `theme ${t.id} persisted under another id`);
        kept++;
      }
    }
    assert.ok(kept >= 1, 'some themes persist');
    // Ids are never reused for new themes.
    const oldIds = new Set(first.themes.map((t) => t.id));
    for (const t of later.themes) if (!oldIds.has(t.id)) assert.ok(Number(t.id.slice(1)) >= first.nextThemeNumber);
  }
});

test('taught filings and stances stick; renames and merges survive the next grouping', () => {
  const letters = lettersOf(TRAM);
  const article = articles.get(TRAM)!;
  const labels = corpus.get(TRAM)!;
  let taught = {};
  // File two letters per labelled line, but one deliberately "against" the model: a bus letter filed under Quay Street.
  const seen = new Map<string, number>();
  for (const l of labels) {
    if ((seen.get(l.theme) ?? 0) >= 2) continue;
    seen.set(l.theme, (seen.get(l.theme) ?? 0) + 1);
    taught = fileLetter(taught, l.id, l.theme);
    taught = setStance(taught, l.id, l.stance);
  }
  const odd = labels.find((l) => l.theme === 'bus-routes-commuters' && !(taught as { themes: Record<string, string> }).themes[l.id])!;
  taught = fileLetter(taught, odd.id, 'quay-street-business');
  taught = setStance(taught, odd.id, 'disagree');
  const res = analyseArticle({ article, letters, taught });
  const set = res.themes;
  const byName = new Map(set.themes.map((t) => [t.name, t]));
  for (const [lid, name] of Object.entries((taught as { themes: Record<string, string> }).themes)) {
    assert.ok(byName.get(name)!.letterIds.includes(lid), `${lid} stays under ${name}`);
    assert.ok(byName.get(name)!.taughtLetterIds.includes(lid));
    assert.equal(assignToTheme(set, { id: lid, body: 'anything at all' }).themeId, byName.get(name)!.id);
  }
  for (const [lid, stance] of Object.entries((taught as { stances: Record<string, string> }).stances)) {
    assert.deepEqual(res.stances[lid], { stance, confidence: 1, source: 'taught' });
  }
  // Themes named by editors: five, no model themes beside them.
  assert.equal(set.themes.length, 5);
  assert.ok(set.themes.every((t) => t.name !== null));

  // Rename: the name and the filings move together, and the id persists at the next grouping.
  const quay = byName.get('quay-street-business')!;
  const renamed = renameTheme(set, taught, quay.id, 'Traders on Quay Street');
  const regrouped = groupThemes({ article, letters, taught: renamed.taught, previous: renamed.set });
  const t2 = regrouped.themes.find((t) => t.id === quay.id)!;
  assert.equal(t2.name, 'Traders on Quay Street');
  assert.ok(t2.letterIds.includes(odd.id));

  // Merge: one theme under the kept id and name, with both themes' filed letters.
  const scrap = regrouped.themes.find((t) => t.name === 'scrap-it-buses')!;
  const buses = regrouped.themes.find((t) => t.name === 'bus-routes-commuters')!;
  const merged = mergeThemes(regrouped, renamed.taught, scrap.id, buses.id);
  assert.equal(merged.set.themes.length, 4);
  const after = groupThemes({ article, letters, taught: merged.taught, previous: merged.set });
  assert.equal(after.themes.length, 4);
  const kept = after.themes.find((t) => t.id === buses.id)!;
  assert.equal(kept.name, 'bus-routes-commuters');
  for (const lid of [...scrap.taughtLetterIds, ...buses.taughtLetterIds]) assert.ok(kept.letterIds.includes(lid));
  assert.ok(!after.themes.some((t) => t.id === scrap.id));

  // An untaught theme named by an editor keeps the name when grouped again.
  const plain = groupThemes({ article, letters });
  const named = renameTheme(plain, {}, plain.themes[0]!.id, 'Main line');
  const next = groupThemes({ article, letters, previous: named.set });
  assert.equal(next.themes.find((t) => t.id === plain.themes[0]!.id)?.name, 'Main line');
});

test('a ThemeSet is plain data: it survives JSON and still assigns', () => {
  const letters = lettersOf(TRAM);
  const set = groupThemes({ article: articles.get(TRAM)!, letters: letters.slice(0, 50) });
  const copy = JSON.parse(JSON.stringify(set)) as ThemeSet;
  assert.deepEqual(copy, set);
  for (const l of letters.slice(50)) assert.deepEqual(assignToTheme(copy, l), assignToTheme(set, l));
});
