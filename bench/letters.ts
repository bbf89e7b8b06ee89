// Letters for the benches that send them over HTTP: a text of its own for
// each, one in ten from one of five campaigns, each naming one of the sample
// articles; made before the clock starts, so that the load generator spends
// its time sending. A small pool sent again made every letter after it a
// copy of an earlier one: most letters joined a "campaign", and the benches
// measured campaign upkeep rather than the one letter in ten a campaign sends.
import { CampaignTemplate, Vocabulary, personName, rng, uniqueLetter } from '../test/screening/synthetic.ts';

export const ARTICLES = ['seed-isi-taliban', 'a-peace-council', 'a-pakistan-aid', 'a-nato-drawdown', 'a-riverside-tram', 'a-museum-maps', 'a-data-broker-act', 'a-school-formula'];

export type BenchLetter = { body: string; name: string; article: string };

/** `size` letters, the same for the same size (fixed seeds): each database of a run gets the same texts. */
export function letterPool(size: number): BenchLetter[] {
  const vocab = new Vocabulary(20000, 11);
  const r = rng(7);
  const templates = Array.from({ length: 5 }, () => new CampaignTemplate(vocab, r));
  return Array.from({ length: size }, (_, i) => {
    const body = i % 10 === 0 ? templates[(i / 10) % 5]!.letter([0, 1, 2, 3].map(() => Math.floor(r() * 5)), vocab, r) : uniqueLetter(vocab, r);
    return { body, name: personName(r), article: ARTICLES[i % ARTICLES.length]! };
  });
}
