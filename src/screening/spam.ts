// Spam score: hand-written rules plus a naive Bayes classifier that learns
// from the editors' spam / not_spam decisions. Both speak log-odds, so the
// evidence simply adds up: each rule that fires adds its weight, the
// classifier adds its (bounded) opinion once it has seen enough decisions.
// The score is the logistic of the sum; the reasons say which rules fired.

import { extractUrls, normaliseUrl } from '../matching/url.ts';
import { words } from '../matching/text.ts';

export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';
export type PowResult = 'verified' | 'missing' | 'failed';

export interface SpamInput {
  subject?: string | null;
  /** The message text (for HTML-only mail, its text rendering). */
  text: string;
  /** Raw HTML part, when there is one (hidden text, link targets). */
  html?: string | null;
  from?: string | null;
  replyTo?: string | null;
  auth?: { spf?: AuthResult | null; dkim?: AuthResult | null; dmarc?: AuthResult | null };
  /** Proof-of-work result of a web-form submission. */
  pow?: PowResult | null;
  /** The desk's own addresses: mail claiming to come from them is forged. */
  ownAddresses?: string[];
  /** Domains whose links are expected (the publication's sites). */
  trustedDomains?: string[];
}

export interface SpamVerdict {
  /** 0..1; at or above DEFAULT_SPAM_THRESHOLD the letter is flagged as spam. */
  score: number;
  reasons: string[];
}

export const DEFAULT_SPAM_THRESHOLD = 0.5;

// Prior log-odds: most mail reaching a letters desk is genuine.
const BIAS = -3;

const SHORTENERS = /^(bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|tiny\.cc|shorturl\.at|rb\.gy|s\.id|t\.ly|lnkd\.in|bl\.ink)$/i;

const PHARMA = /\b(v[i1!|]agra|c[i1!|]alis|levitra|xanax|valium|tramadol|oxycodone|phentermine|ambien|pharmacy|no prescription|prescription needed|per pill|meds online)\b/i;
const MONEY = /\b(bitcoin|crypto(currency)?|btc|forex|binary options|mining pool|guaranteed (returns|income|profit)|returns? of \d+ ?% (per|a|every) (day|week|month)|double your (money|investment)|passive income|investment opportunity|financial freedom|wire transfer|western union|lottery|inheritance|next of kin|beneficiary)\b/i;
const SEO = /\b(seo|backlinks?|search engine optimi[sz]ation|first page of google|page 1 ranking|domain authority|guest post|link building|keyword research)\b/i;

// Phrases seldom found in a reader's letter and common in bulk mail.
const PHRASES: [RegExp, string][] = [
  [/\border now\b/i, 'order now'],
  [/\bact now\b/i, 'act now'],
  [/\bclick here\b/i, 'click here'],
  [/\b(limited time|offer expires|this week only|special offer)\b/i, 'time-limited offer'],
  [/\b(100% free|risk[- ]free|no obligation|free (proposal|trial|quote|audit))\b/i, 'free offer'],
  [/\bthis is not a scam\b/i, '"this is not a scam"'],
  [/\b(life[- ]changing|once in a lifetime) opportunity\b/i, 'life-changing opportunity'],
  [/\b(unsubscribe|do not wish to receive|opt[- ]out|remove you from (our|this) list)\b/i, 'unsubscribe language'],
  [/\breply with ["']?(yes|remove|stop)\b/i, 'reply-with-keyword'],
  [/\bdear (customer|friend|sir\/madam|beneficiary|user|winner)\b/i, 'impersonal greeting'],
  [/\b(lowest prices?|best prices?|discount|save \d+ ?%|\d+ ?% off)\b/i, 'price promotion'],
  [/\b(worldwide shipping|discreet (shipping|packaging))\b/i, 'shipping offer'],
  [/\b(you have (been selected|won)|congratulations,? you)\b/i, 'prize notification'],
  [/\b(work from home|earn \$?\d+)\b/i, 'earnings claim'],
  [/\b(casino|betting|poker)\b/i, 'gambling'],
  [/\b(weight loss|diet pills?|enlargement)\b/i, 'health product'],
];

/** One piece of evidence: its log-odds weight and why. */
export type Evidence = { weight: number; reason: string };

/**
 * The spam score from the evidence of every check: the logistic of the
 * prior plus the weights, rounded; the reasons say which checks fired.
 */
export function spamVerdict(evidence: readonly Evidence[]): SpamVerdict {
  const logit = evidence.reduce((sum, e) => sum + e.weight, BIAS);
  return { score: Math.round(sigmoid(logit) * 1000) / 1000, reasons: evidence.map((e) => e.reason) };
}

/** Every check at once (the screening pipeline runs them as separate phases). */
export function scoreSpam(input: SpamInput, model?: SpamModel): SpamVerdict {
  return spamVerdict([...contentEvidence(input), ...authEvidence(input.auth), ...powEvidence(input.pow), ...(model ? modelEvidence(model, input.subject ?? null, input.text ?? '') : [])]);
}

/** What the text, its links and its sender say: the hand-written rules. */
export function contentEvidence(input: SpamInput): Evidence[] {
  const out: Evidence[] = [];
  const add = (weight: number, reason: string) => void out.push({ weight, reason });
  const subject = input.subject ?? '';
  const text = input.text ?? '';
  const all = `${subject}\n${text}`;

  if (PHARMA.test(all)) add(2.5, 'pharmacy terms');
  if (MONEY.test(all)) add(2.5, 'money or crypto pitch');
  if (SEO.test(all)) add(2, 'SEO or link-selling pitch');
  let phraseWeight = 0;
  for (const [re, name] of PHRASES) {
    if (re.test(all) && phraseWeight < 4) {
      add(1, `spam phrase: ${name}`);
      phraseWeight += 1;
    }
  }
  const amounts = all.match(/[$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(usd|eur|dollars?)\b/gi) ?? [];
  if (amounts.length >= 2 && /[$€£]/.test(amounts.join(''))) add(0.8, 'several money amounts');

  // Links: readers link articles; spammers link shops, shorteners, tracked offers.
  const trusted = (input.trustedDomains ?? []).map((d) => d.toLowerCase().replace(/^www\./, ''));
  const hrefs = input.html ? [...input.html.matchAll(/href\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]) : [];
  const links = [...new Set([...extractUrls(all), ...hrefs])]
    .map((u) => ({ raw: u, n: normaliseUrl(u) }))
    .filter((l) => l.n && !trusted.some((d) => l.n!.host === d || l.n!.host.endsWith('.' + d)));
  if (links.length >= 3) add(1.5, `${links.length} links`);
  else if (links.length >= 1) add(0.7, links.length === 1 ? '1 link' : `${links.length} links`);
  if (links.some((l) => SHORTENERS.test(l.n!.host))) add(1.5, 'link shortener');
  if (links.some((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l.n!.host))) add(1.5, 'link to a bare IP address');
  if (links.some((l) => /[?&](aff|affiliate|ref|refid|partner|tracking|clickid)=/i.test(l.raw))) add(0.5, 'affiliate or referral link');

  // Shouting.
  const ws = words(text.normalize('NFC')).length;
  const caps = (text.match(/\b[A-Z]{3,}\b/g) ?? []).filter((w) => !/^(NATO|ISI|USA|UK|EU|UN|OTAN|CEO|FBI|CIA|NHS|BBC|PDF)$/.test(w));
  if (ws >= 20 && caps.length / ws > 0.2) add(1.5, 'mostly capital letters');
  else if (caps.length >= 3) add(0.5, 'shouted words');
  if (/!{3,}|\${2,}/.test(all)) add(0.5, 'repeated ! or $');

  // Sender consistency.
  const fromDomain = domainOf(input.from);
  const replyDomain = domainOf(input.replyTo);
  const own = (input.ownAddresses ?? []).map((a) => a.toLowerCase());
  if (input.from && own.includes(input.from.toLowerCase()) && input.auth?.dmarc !== 'pass') {
    add(2.5, 'claims to come from the desk itself');
  }
  if (fromDomain && replyDomain && !sameOrganisation(fromDomain, replyDomain)) {
    add(1.2, `Reply-To domain (${replyDomain}) differs from From domain (${fromDomain})`);
  }

  if (input.html && /(color\s*=\s*["']?#?f{3}(f{3})?\b|color\s*:\s*#?f{3}(f{3})?\b|display\s*:\s*none|font-size\s*:\s*[01]px|visibility\s*:\s*hidden)/i.test(input.html)) {
    add(1.5, 'hidden text in HTML');
  }
  if (text.trim().length < 40 && links.length > 0) add(1, 'little text besides a link');
  return out;
}

/** Sender authentication, when the mail layer checked it. */
export function authEvidence(auth: SpamInput['auth']): Evidence[] {
  const out: Evidence[] = [];
  const add = (weight: number, reason: string) => void out.push({ weight, reason });
  const a = auth ?? {};
  if (a.spf === 'fail') add(1.5, 'SPF fail');
  else if (a.spf === 'softfail') add(0.7, 'SPF softfail');
  else if (a.spf === 'pass') add(-0.3, 'SPF pass');
  if (a.dkim === 'fail') add(1, 'DKIM fail');
  else if (a.dkim === 'pass') add(-0.5, 'DKIM pass');
  if (a.dmarc === 'fail') add(2, 'DMARC fail');
  else if (a.dmarc === 'pass') add(-0.7, 'DMARC pass');
  return out;
}

/** Proof of work from the web form. */
export function powEvidence(pow: SpamInput['pow']): Evidence[] {
  if (pow === 'failed') return [{ weight: 3, reason: 'proof-of-work failed' }];
  if (pow === 'missing') return [{ weight: 1.5, reason: 'proof-of-work missing' }];
  if (pow === 'verified') return [{ weight: -1, reason: 'proof-of-work verified' }];
  return [];
}

/** What the classifier learnt from editors' decisions says of this text. */
export function modelEvidence(model: SpamModel, subject: string | null, text: string): Evidence[] {
  const nb = model.logOdds(spamText(subject, text));
  return nb === 0 ? [] : [{ weight: nb, reason: `learned from editors' decisions (${nb > 0 ? '+' : ''}${nb.toFixed(1)})` }];
}

/** The text the spam model learns from and scores: subject and the writer's text. */
export function spamText(subject: string | null, body: string): string {
  return `${subject ?? ''}\n${body}`;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function domainOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase().replace(/[>\s]+$/, '') : null;
}

// mail.example.com and example.com belong to one organisation; comparing the
// last two labels is enough for a rule that only adds a little weight.
function sameOrganisation(a: string, b: string): boolean {
  const base = (d: string) => d.split('.').slice(-2).join('.');
  return a === b || base(a) === base(b);
}

export interface SpamModelJSON {
  version: 1;
  docs: { spam: number; ham: number };
  words: { spam: number; ham: number };
  /** token -> [count in spam, count in ham] */
  counts: Record<string, [number, number]>;
}

/**
 * Multinomial naive Bayes over word tokens (binarised per document, which
 * suits short texts), learnt incrementally from editors' decisions.
 */
export class SpamModel {
  private docs = { spam: 0, ham: 0 };
  private words = { spam: 0, ham: 0 };
  private counts = new Map<string, [number, number]>();
  /** Vocabulary cap: rare tokens are pruned beyond it to bound memory. */
  maxVocabulary = 100_000;

  static tokens(text: string): string[] {
    const out = new Set<string>();
    for (const w of words(text)) if (w.length >= 2 && w.length <= 30) out.add(w);
    for (const m of text.matchAll(/\bhttps?:\/\/([^/\s]+)/gi)) out.add(`host:${m[1].toLowerCase()}`);
    if (/[$€£]\s?\d/.test(text)) out.add('feature:money');
    return [...out];
  }

  learn(text: string, isSpam: boolean): void {
    this.update(text, isSpam, 1);
  }

  /** Takes back an earlier decision (an editor changed their mind). */
  unlearn(text: string, isSpam: boolean): void {
    this.update(text, isSpam, -1);
  }

  private update(text: string, isSpam: boolean, delta: 1 | -1): void {
    const k = isSpam ? 0 : 1;
    const tokens = SpamModel.tokens(text);
    if (isSpam) this.docs.spam = Math.max(0, this.docs.spam + delta);
    else this.docs.ham = Math.max(0, this.docs.ham + delta);
    for (const t of tokens) {
      let c = this.counts.get(t);
      if (!c) {
        if (delta < 0) continue;
        this.counts.set(t, (c = [0, 0]));
      }
      c[k] = Math.max(0, c[k] + delta);
      if (c[0] === 0 && c[1] === 0) this.counts.delete(t);
    }
    const n = tokens.length * delta;
    if (isSpam) this.words.spam = Math.max(0, this.words.spam + n);
    else this.words.ham = Math.max(0, this.words.ham + n);
    if (this.counts.size > this.maxVocabulary) this.prune();
  }

  private prune(): void {
    for (const [t, c] of this.counts) if (c[0] + c[1] <= 1) this.counts.delete(t);
  }

  /**
   * The classifier's log-odds that the text is spam, bounded to ±4 and
   * scaled by how many decisions it has seen of each kind (0 until it has
   * seen both kinds), so a young model cannot overrule the rules.
   */
  logOdds(text: string): number {
    const { spam, ham } = this.docs;
    if (spam === 0 || ham === 0) return 0;
    const v = this.counts.size + 1;
    let llr = 0;
    let used = 0;
    for (const t of SpamModel.tokens(text)) {
      const c = this.counts.get(t);
      if (!c) continue;
      llr += Math.log((c[0] + 1) / (this.words.spam + v)) - Math.log((c[1] + 1) / (this.words.ham + v));
      used++;
    }
    if (used === 0) return 0;
    // Token evidence is not independent; dividing by sqrt(n) keeps long texts from shouting.
    const evidence = llr / Math.sqrt(used);
    const trust = Math.min(1, Math.min(spam, ham) / 10);
    return Math.max(-4, Math.min(4, evidence)) * trust;
  }

  toJSON(): SpamModelJSON {
    return { version: 1, docs: { ...this.docs }, words: { ...this.words }, counts: Object.fromEntries(this.counts) };
  }

  static fromJSON(json: SpamModelJSON): SpamModel {
    const m = new SpamModel();
    if (json?.version !== 1) return m;
    m.docs = { ...json.docs };
    m.words = { ...json.words };
    for (const [t, c] of Object.entries(json.counts)) m.counts.set(t, [c[0], c[1]]);
    return m;
  }
}
