// Test support: loads the fixture corpus (articles, raw mails, labels).
// Mails are read by the real mail layer (`readInbound`: parsing, quote and
// signature trimming, forwarded letters), as the desk reads them.
// The screening/matching code under test never sees the labels.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/matching/article-index.ts';
import { parseMessage, readInbound, resolveLimits } from '../../src/mail/index.ts';

/** The desk's own address in the fixture corpus. */
export const OWN_ADDRESSES = ['letters@review.example.com'];

export const CORPUS_DIR = join(import.meta.dirname, '..', 'fixtures', 'corpus');

export interface Label {
  file: string;
  kind: 'letter' | 'autoreply' | 'bounce' | 'list' | 'spam';
  article: string | null;
  campaign: string | null;
  language: string;
}

export interface CorpusMail {
  file: string;
  label: Label;
  subject: string;
  /** The writer's own text. */
  body: string;
  html: string | null;
  from: string;
  replyTo: string | null;
  date: Date | null;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function loadArticles(): Article[] {
  return jsonl<Article>('articles.jsonl');
}

export function loadLabels(): Label[] {
  return jsonl<Label>('labels.jsonl');
}

export async function loadMails(): Promise<CorpusMail[]> {
  const labels = new Map(loadLabels().map((l) => [l.file, l]));
  const dir = join(CORPUS_DIR, 'mail');
  const out: CorpusMail[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
    const raw = readFileSync(join(dir, file));
    const mail = await readInbound(raw, { ownAddresses: OWN_ADDRESSES });
    if (!mail.ok) throw new Error(`${file}: quarantined by the mail layer: ${mail.reason}`);
    // The HTML part and Reply-To are not in the reader's result; the spam
    // rules look at them, so they come from the same parser.
    const parsed = await parseMessage(raw, resolveLimits({}));
    out.push({
      file,
      label: labels.get(file)!,
      subject: mail.subject,
      body: mail.body,
      html: parsed.ok ? parsed.html : null,
      from: mail.from.address,
      replyTo: parsed.ok ? (parsed.replyTo[0]?.address ?? null) : null,
      date: mail.date ? new Date(mail.date) : null,
    });
  }
  return out;
}
