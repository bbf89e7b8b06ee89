// Test support: every labelled letter there is for article matching, and the
// articles they are matched against (the corpus's eight plus eleven
// neighbouring pieces of the same weeks, test/fixtures/letters/articles.jsonl).
// Sets: corpus mail (as the mail layer reads it), corpus web-form letters
// (matched on their text as if they had come by mail), the new labelled
// letters, and the held-back ones (test/fixtures/held-back, never tuned on).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/matching/article-index.ts';
import { loadArticles, loadMails } from '../screening/corpus.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function jsonl<T>(path: string): T[] {
  return readFileSync(join(FIXTURES, path), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

export interface LabelledLetter {
  id: string;
  /** corpus-mail, corpus-form, matching, campaigns, held-back/matching, held-back/campaigns */
  set: string;
  /** Finer group within a set (short, none, foreign, ordinary, tp, template). */
  group: string;
  name: string;
  email: string;
  subject: string | null;
  body: string;
  date: string | Date | null;
  article: string | null;
  language: string;
  campaign: string | null;
  campaignKind: 'template' | 'talking_points' | null;
}

type Row = Omit<LabelledLetter, 'set' | 'group' | 'campaign' | 'campaignKind'> & { group?: string; campaign?: string | null; campaignKind?: LabelledLetter['campaignKind'] };

export function matchingArticles(): Article[] {
  return [...loadArticles(), ...jsonl<Article>('letters/articles.jsonl')];
}

function rows(path: string, set: string): LabelledLetter[] {
  return jsonl<Row>(path).map((r) => ({ ...r, set, group: r.group ?? '', campaign: r.campaign ?? null, campaignKind: r.campaignKind ?? null }));
}

/** The labelled letters written for issue 16 (tuning and held back). */
export function newLetters(which: 'tuned' | 'held back' | 'all' = 'all'): LabelledLetter[] {
  const tuned = [...rows('letters/matching.jsonl', 'matching'), ...rows('letters/campaigns.jsonl', 'campaigns')];
  const held = [
    ...rows('held-back/letters/matching.jsonl', 'held-back/matching'),
    ...rows('held-back/letters/campaigns.jsonl', 'held-back/campaigns'),
    ...rows('held-back/letters/campaigns-2.jsonl', 'held-back/campaigns-2'),
  ];
  return which === 'tuned' ? tuned : which === 'held back' ? held : [...tuned, ...held];
}

/** Every labelled letter with an article label (or null: about no article). */
export async function labelledLetters(): Promise<LabelledLetter[]> {
  const out: LabelledLetter[] = [];
  for (const m of await loadMails()) {
    if (m.label.kind !== 'letter') continue;
    out.push({ id: m.file, set: 'corpus-mail', group: '', name: '', email: m.from, subject: m.subject, body: m.body, date: m.date, article: m.label.article, language: m.label.language, campaign: m.label.campaign, campaignKind: m.label.campaign ? 'template' : null });
  }
  const byUrl = new Map(matchingArticles().map((a) => [a.url, a.id]));
  type Form = { name: string; email: string; article: string; body: string; expect: string };
  for (const f of jsonl<Form>('corpus/form.jsonl')) {
    if (f.expect !== 'accepted') continue;
    // A form letter arrives with its article; here it is matched on its text alone, sent the week after the articles.
    out.push({ id: `form:${f.name}`, set: 'corpus-form', group: '', name: f.name, email: f.email, subject: null, body: f.body, date: '2010-11-08T12:00:00Z', article: byUrl.get(f.article) ?? f.article, language: '', campaign: null, campaignKind: null });
  }
  return [...out, ...newLetters()];
}

export function isHeldBack(l: LabelledLetter): boolean {
  return l.set.startsWith('held-back/');
}
