// A letter's stance toward the article's argument: agree, disagree or
// mixed, with a confidence. An estimate from the text alone, and says so:
// cue phrases ("spot on", "misses the point") with negation scope, sarcasm
// that cancels literal praise, concession that signals a mixed view, and
// anchoring on the article's own words (a letter that quotes the article in
// order to mock or contest it disagrees). Evidence adds up in log-odds, as
// in screening's spam score; a classifier learnt from editors' decisions
// (StanceModel) adds its bounded opinion once it has seen enough of them.

import { fold } from '../matching/text.ts';
import { AGREE_CUES, CONCESSION_CUES, DISAGREE_CUES, NEGATIONS, PhraseMatcher, SARCASM_CUES, cueWords } from './cues.ts';
import { readOf } from './features.ts';
import type { StanceModel } from './stance-model.ts';
import { letterProse, sentences } from './text.ts';
import { STANCES, type ArticleText, type LetterText, type Stance } from './types.ts';

export interface PreparedArticle {
  id: string;
  /** The article folded for quotation look-up (lower case, accents off, single spaces). */
  folded: string;
}

export interface StanceEvidence {
  agree: number;
  disagree: number;
  concession: number;
  sarcasm: number;
  /** Human-readable reasons ("'spot on'", "not 'wrong'", "mocks a quotation of the article"). */
  reasons: string[];
}

export interface StanceEstimate {
  stance: Stance;
  /** Probability of the chosen stance under the model, 0..1. */
  confidence: number;
  /** Probabilities of all three. */
  scores: Record<Stance, number>;
  reasons: string[];
}

const AGREE = new PhraseMatcher(AGREE_CUES);
const DISAGREE = new PhraseMatcher(DISAGREE_CUES);
const CONCESSION = new PhraseMatcher(CONCESSION_CUES);
const SARCASM = new PhraseMatcher(SARCASM_CUES);
// "n't" splits into "…n" + "t"; a lone "t" is that negation.
const NEGATION_SET = new Set([...NEGATIONS.filter((n) => !n.includes(' ')), 't']);

/** Folded, apostrophes to spaces, punctuation kept apart from words: cue phrases match across "n't" forms. */
function normalise(s: string): string {
  return fold(s)
    .replace(/'/g, ' ')
    .replace(/[^\p{L}\p{N}\s.,;:!?"-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const prepared = new WeakMap<object, PreparedArticle>();

export function prepareArticle(article: ArticleText | PreparedArticle): PreparedArticle {
  if ('folded' in article) return article;
  let p = prepared.get(article);
  if (!p) {
    p = { id: article.id, folded: normalise(`${article.title ?? ''} ${article.body ?? ''}`) };
    prepared.set(article, p);
  }
  return p;
}

// Negation applies to a cue when one of the three words before it negates.
function negated(ws: readonly string[], at: number): boolean {
  for (let i = Math.max(0, at - 3); i < at; i++) if (NEGATION_SET.has(ws[i]!)) return true;
  return false;
}

// Text in quotation marks that appears in the article: the writer is answering the article's own words.
function quotesArticle(raw: string, article: PreparedArticle): boolean {
  for (const m of raw.matchAll(/["\u201c\u201d\u00ab\u00bb]([^"\u201c\u201d\u00ab\u00bb]{8,200})["\u201c\u201d\u00ab\u00bb]/g)) {
    const q = normalise(m[1]!).replace(/[.,;:!?]+$/, '');
    if (q.split(' ').length >= 2 && article.folded.includes(q)) return true;
  }
  return false;
}

export function stanceEvidence(articleIn: ArticleText | PreparedArticle, text: string): StanceEvidence {
  // A 5,000-word letter is judged on its first 60 sentences: enough to state a view.
  return evidenceOfSentences(articleIn, sentences(letterProse(typeof text === 'string' ? text : '')).slice(0, 60));
}

/** Evidence from a letter already cut into sentences (the theme grouping has done that work). */
export function evidenceOfSentences(articleIn: ArticleText | PreparedArticle, sents: readonly string[]): StanceEvidence {
  const article = prepareArticle(articleIn);
  const ev: StanceEvidence = { agree: 0, disagree: 0, concession: 0, sarcasm: 0, reasons: [] };
  sents.forEach((raw, idx) => {
    const ws = cueWords(raw);
    if (!ws.length) return;
    const sarcastic = SARCASM.match(ws);
    const quoted = /["\u201c\u201d\u00ab\u00bb]/.test(raw) && quotesArticle(raw, article);
    if (sarcastic.length) {
      ev.sarcasm++;
      // Mocking the article's own words is disagreement; mocking something else says little about the article.
      if (quoted) {
        ev.disagree += 1.5;
        ev.reasons.push(`mocks a quotation of the article ('${sarcastic[0]![1]}')`);
      } else ev.reasons.push(`sarcasm ('${sarcastic[0]![1]}'): literal praise not counted`);
    }
    // Opening and closing sentences carry the writer's verdict more often than the middle.
    const place = idx === 0 || idx === sents.length - 1 ? 1.2 : 1;
    if (!sarcastic.length) {
      for (const [at, cue] of AGREE.match(ws)) {
        if (negated(ws, at)) {
          ev.disagree += 0.8 * place;
          ev.reasons.push(`not '${cue}'`);
        } else {
          ev.agree += place;
          ev.reasons.push(`'${cue}'`);
        }
      }
      for (const [at, cue] of DISAGREE.match(ws)) {
        if (negated(ws, at)) {
          ev.agree += 0.5 * place;
          ev.reasons.push(`not '${cue}'`);
        } else {
          ev.disagree += place;
          ev.reasons.push(`'${cue}'`);
        }
      }
    }
    for (const [, cue] of CONCESSION.match(ws)) ev.concession += cue === 'but' || cue === 'aber' || cue === 'mais' || cue === 'pero' ? 0.5 : 1;
    // Quoting the article to contest it ("your writer says X", then a question or a rebuttal).
    if (quoted && !sarcastic.length && (raw.includes('?') || ws.some((w) => w === 'but' || w === 'yet' || w === 'how'))) {
      ev.disagree += 0.5;
      ev.reasons.push('contests a quotation of the article');
    }
  });
  if (ev.concession) ev.reasons.push(`concession (${ev.concession})`);
  return ev;
}

// Log-odds weights of the evidence. A letter with no cue at all leans
// toward agreement: writers who answer an article to reject it usually say
// so, while many who share its view simply carry the argument on.
const W_CUE = 1.1;
const W_MIXED_BOTH = 0.9;
const W_CONCESSION = 0.45;
const BIAS: Record<Stance, number> = { agree: 0.35, disagree: 0, mixed: -0.7 };

/** The cue model's log-scores for the three stances. */
export function cueLogits(ev: StanceEvidence): Record<Stance, number> {
  const net = ev.agree - ev.disagree;
  const both = Math.min(ev.agree, ev.disagree);
  const conc = Math.min(ev.concession, 3);
  return {
    agree: BIAS.agree + W_CUE * net - 0.3 * both,
    disagree: BIAS.disagree - W_CUE * net - 0.3 * both,
    mixed: BIAS.mixed + W_MIXED_BOTH * both + W_CONCESSION * conc - 0.25 * Math.abs(net),
  };
}

export function softmax(l: Record<Stance, number>): Record<Stance, number> {
  const m = Math.max(l.agree, l.disagree, l.mixed);
  const e = { agree: Math.exp(l.agree - m), disagree: Math.exp(l.disagree - m), mixed: Math.exp(l.mixed - m) };
  const z = e.agree + e.disagree + e.mixed;
  return { agree: e.agree / z, disagree: e.disagree / z, mixed: e.mixed / z };
}

export function decide(logits: Record<Stance, number>, reasons: string[]): StanceEstimate {
  const p = softmax(logits);
  let stance: Stance = 'agree';
  for (const s of STANCES) if (p[s] > p[stance]) stance = s;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { stance, confidence: r3(p[stance]), scores: { agree: r3(p.agree), disagree: r3(p.disagree), mixed: r3(p.mixed) }, reasons };
}

/**
 * The letter's stance toward the article: cues anchored on the article,
 * plus the editors' classifier when one is given.
 */
export function estimateStance(article: ArticleText | PreparedArticle, letter: LetterText, model?: StanceModel | null): StanceEstimate {
  const ev = evidenceOfSentences(article, readOf(letter).sentences);
  const logits = cueLogits(ev);
  const reasons = [...ev.reasons];
  if (model) {
    const learnt = model.logits(letter?.body ?? '');
    if (learnt) {
      for (const s of STANCES) logits[s] += learnt[s];
      reasons.push("learnt from editors' decisions");
    }
  }
  return decide(logits, reasons);
}
