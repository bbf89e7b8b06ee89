// The publication's own rules, as flags for the editor (never as rejections):
// length, how old the article is, how recently the writer was published or
// wrote, and exclusivity consent.

export interface PolicySettings {
  /** Maximum words in a letter; 0 or absent: no limit. */
  wordLimit?: number | null;
  /** Letters about articles older than this many days are flagged. */
  articleAgeDays?: number | null;
  /** One letter per writer per this many days. */
  oneLetterPerDays?: number | null;
  /** The writer must promise the letter is exclusive to this publication. */
  requireExclusive?: boolean | null;
}

export interface PolicyInput {
  body: string;
  receivedAt: Date | string | number;
  /** Publication date of the matched article, if any. */
  articlePublishedAt?: Date | string | number | null;
  /** Dates of this writer's earlier letters (any address variant). */
  previousLetterDates?: (Date | string | number)[];
  /** Whether the writer gave exclusivity consent (undefined: not asked/unknown). */
  exclusive?: boolean | null;
}

export type PolicyFlag = 'over_word_limit' | 'article_too_old' | 'wrote_recently' | 'not_exclusive';

export interface PolicyResult {
  flags: PolicyFlag[];
  /** Human-readable detail per flag, for the desk. */
  details: Partial<Record<PolicyFlag, string>>;
  words: number;
}

const DAY = 86_400_000;

/** Words as an editor counts them: runs of letters/digits, hyphenated words count once. */
export function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}]+(?:[-'\u2019][\p{L}\p{N}]+)*/gu) ?? []).length;
}

export function checkPolicy(settings: PolicySettings, input: PolicyInput): PolicyResult {
  const flags: PolicyFlag[] = [];
  const details: PolicyResult['details'] = {};
  const received = new Date(input.receivedAt).getTime();
  const words = countWords(input.body);

  if (settings.wordLimit && words > settings.wordLimit) {
    flags.push('over_word_limit');
    details.over_word_limit = `${words} words; the limit is ${settings.wordLimit}`;
  }
  if (settings.articleAgeDays && input.articlePublishedAt != null) {
    const age = (received - new Date(input.articlePublishedAt).getTime()) / DAY;
    if (age > settings.articleAgeDays) {
      flags.push('article_too_old');
      details.article_too_old = `the article is ${Math.floor(age)} days old; the window is ${settings.articleAgeDays} days`;
    }
  }
  if (settings.oneLetterPerDays && input.previousLetterDates?.length) {
    const window = settings.oneLetterPerDays * DAY;
    const recent = input.previousLetterDates
      .map((d) => new Date(d).getTime())
      .filter((t) => Number.isFinite(t) && t <= received && received - t < window)
      .sort((a, b) => b - a);
    if (recent.length) {
      flags.push('wrote_recently');
      const days = Math.floor((received - recent[0]) / DAY);
      details.wrote_recently = `the writer's previous letter was ${days} day${days === 1 ? '' : 's'} ago; the rule is one letter per ${settings.oneLetterPerDays} days`;
    }
  }
  if (settings.requireExclusive && input.exclusive !== true) {
    flags.push('not_exclusive');
    details.not_exclusive = 'the writer has not confirmed the letter is exclusive to this publication';
  }
  return { flags, details, words };
}

// Providers where dots in the local part are ignored and which share one
// mailbox namespace across domains.
const DOTLESS_PROVIDERS: Record<string, string> = {
  'gmail.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
};

/**
 * One key per mailbox for "same writer" checks: case-folded, sub-address tag
 * removed, dots removed where the provider ignores them, provider domain
 * aliases unified. Not for sending mail: only for comparing writers.
 */
export function normaliseEmail(address: string): string {
  let a = address.trim().toLowerCase();
  const angle = a.match(/<([^>]+)>/);
  if (angle) a = angle[1].trim();
  a = a.replace(/^mailto:/, '');
  const at = a.lastIndexOf('@');
  if (at < 1) return a;
  let local = a.slice(0, at);
  let domain = a.slice(at + 1).replace(/\.$/, '');
  // "user+tag": the tag is the writer's, the mailbox is the same. (Hyphen
  // tags exist at a few providers, but hyphens are also ordinary name
  // characters, so they are left alone rather than merging two people.)
  local = local.split('+')[0] || local;
  const canonical = DOTLESS_PROVIDERS[domain];
  if (canonical) {
    domain = canonical;
    local = local.replace(/\./g, '');
  }
  return `${local}@${domain}`;
}
