// Test support: the labelled insights corpus (test/fixtures/insights).
// The engine under test never sees the labels.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSIGHTS_DIR = join(import.meta.dirname, '..', 'fixtures', 'insights');

export interface CorpusArticle {
  id: string;
  title: string;
  body: string;
}

export interface CorpusLetter {
  id: string;
  article: string;
  theme: string;
  stance: 'agree' | 'disagree' | 'mixed';
  campaign: string | null;
  lang: string;
  body: string;
}

function jsonl<T>(file: string): T[] {
  const path = join(INSIGHTS_DIR, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function loadInsightArticles(): Map<string, CorpusArticle> {
  return new Map(jsonl<CorpusArticle>('articles.jsonl').map((a) => [a.id, a]));
}

/** The tuning corpus (`letters.jsonl`) or the held-back set (`heldback.jsonl`), grouped by article. */
export function loadInsightLetters(file: 'letters.jsonl' | 'heldback.jsonl' = 'letters.jsonl'): Map<string, CorpusLetter[]> {
  const out = new Map<string, CorpusLetter[]>();
  for (const l of jsonl<CorpusLetter>(file)) {
    let list = out.get(l.article);
    if (!list) out.set(l.article, (list = []));
    list.push(l);
  }
  return out;
}
