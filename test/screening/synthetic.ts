// Deterministic synthetic text for tests and benchmarks: a Zipf-distributed
// vocabulary of made-up words (so common words repeat as in real prose),
// unrelated letters, and campaign generators that mix and match paragraphs.
import { rng } from '../support/random.ts';

export { rng };

const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'san', 'dor', 'vel', 'pa', 'ri', 'on', 'tu', 'ber', 'cha', 'nis', 'gro', 'fa', 'lem', 'qui', 'sto', 'ran', 'wex', 'by', 'zel', 'mun'];

export class Vocabulary {
  readonly words: string[] = [];
  private cdf: Float64Array;
  constructor(size = 8000, seed = 7) {
    const r = rng(seed);
    const seen = new Set<string>();
    while (this.words.length < size) {
      const n = 1 + Math.floor(r() * 4); // 24 syllables, up to 4: ~350k possible words
      let w = '';
      for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
      if (!seen.has(w)) {
        seen.add(w);
        this.words.push(w);
      }
    }
    // Zipf (s = 1): word k is drawn with probability ~ 1/k.
    this.cdf = new Float64Array(size);
    let acc = 0;
    for (let k = 0; k < size; k++) this.cdf[k] = acc += 1 / (k + 1);
    for (let k = 0; k < size; k++) this.cdf[k] /= acc;
  }
  word(r: () => number): string {
    const x = r();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo];
  }
  sentence(r: () => number, min = 8, max = 18): string {
    const n = min + Math.floor(r() * (max - min + 1));
    const ws: string[] = [];
    for (let i = 0; i < n; i++) ws.push(this.word(r));
    const s = ws.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  }
  paragraph(r: () => number, sentences = 3 + Math.floor(r() * 3)): string[] {
    return Array.from({ length: sentences }, () => this.sentence(r));
  }
}

const FIRST = ['Anna', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jon', 'Kemi', 'Luis', 'Mara', 'Nils', 'Omar', 'Priya'];
const LAST = ['Okafor', 'Lindqvist', 'Haddad', 'Moreau', 'Tanaka', 'Novak', 'Reyes', 'Schmidt', 'Adeyemi', 'Kowalski', 'Byrne', 'Costa'];

export function personName(r: () => number): string {
  return `${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`;
}

/** A letter nobody else wrote. */
export function uniqueLetter(vocab: Vocabulary, r: () => number, paragraphs = 3 + Math.floor(r() * 2)): string {
  const body = Array.from({ length: paragraphs }, () => vocab.paragraph(r).join(' '));
  return ['Dear Editor,', ...body, personName(r)].join('\n\n');
}

/** A campaign generator: `slots` paragraphs, each with `variants` wordings. */
export class CampaignTemplate {
  readonly slots: string[][][]; // slot -> variant -> sentences
  constructor(vocab: Vocabulary, r: () => number, slots = 4, variants = 5) {
    this.slots = Array.from({ length: slots }, () =>
      Array.from({ length: variants }, () => vocab.paragraph(r, 3 + Math.floor(r() * 2))),
    );
  }

  /**
   * One letter. `choice[i]` picks the variant of slot i. Like real campaign
   * letters it varies: the writer's name and town, an added personal
   * sentence, a dropped sentence, sentences and paragraphs reordered.
   */
  letter(choice: number[], vocab: Vocabulary, r: () => number, vary = true): string {
    const name = personName(r);
    const paras = choice.map((v, i) => [...this.slots[i][v]]);
    if (!vary) return ['Dear Editor,', ...paras.map((p) => p.join(' ')), 'Sincerely,', name].join('\n\n');
    for (const p of paras) {
      if (p.length > 3 && r() < 0.3) p.splice(Math.floor(r() * p.length), 1); // drop a sentence
      if (r() < 0.2) p.reverse(); // reorder sentences
    }
    const k = Math.floor(r() * paras.length);
    if (r() < 0.6) paras[k].unshift(`My name is ${name} and I have lived in ${vocab.word(r)} for ${1 + Math.floor(r() * 40)} years.`);
    if (r() < 0.3) paras[Math.floor(r() * paras.length)].push(vocab.sentence(r));
    if (r() < 0.3) paras.reverse();
    return ['Dear Editor,', ...paras.map((p) => p.join(' ')), 'Sincerely,', name].join('\n\n');
  }
}
