// Test support: loads the fixture corpus (articles, raw mails, labels).
// Until src/mail/ offers its reader, mails are parsed with postal-mime and the
// writer's text is cut from quotes and signatures with a few plain rules.
// The screening/matching code under test never sees the labels.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import type { Article } from '../../src/matching/article-index.ts';

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

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h\d)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&mdash;/g, '\u2014')
    .replace(/&bull;/g, '\u2022')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain-rule stand-in for the mail layer's reply/signature trimming. */
export function ownText(text: string): string {
  let t = text.replace(/\r\n/g, '\n');
  const fwd = t.search(/^-{5,} ?Forwarded message ?-{5,}$/m);
  if (fwd >= 0) {
    const rest = t.slice(fwd);
    const blank = rest.search(/\n\s*\n/);
    t = blank >= 0 ? rest.slice(blank) : rest;
  }
  const cut = t.search(
    /^(-{3,} ?Original Message ?-{3,}|_{10,}\s*$|On .{5,200}wrote:\s*$|From: .*\n(Sent|Date): |-- ?$|Sent from my |CONFIDENTIALITY NOTICE|This (message|e-mail) and any attachments)/m,
  );
  if (cut >= 0) t = t.slice(0, cut);
  return t
    .split('\n')
    .filter((l) => !l.startsWith('>'))
    .join('\n')
    .trim();
}

export async function loadMails(): Promise<CorpusMail[]> {
  const labels = new Map(loadLabels().map((l) => [l.file, l]));
  const dir = join(CORPUS_DIR, 'mail');
  const out: CorpusMail[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
    const email = await PostalMime.parse(readFileSync(join(dir, file)));
    const html = email.html ?? null;
    const text = email.text && email.text.trim() ? email.text : html ? htmlToText(html) : '';
    out.push({
      file,
      label: labels.get(file)!,
      subject: email.subject ?? '',
      body: ownText(text),
      html,
      from: email.from?.address ?? '',
      replyTo: email.replyTo?.[0]?.address ?? null,
      date: email.date ? new Date(email.date) : null,
    });
  }
  return out;
}
