// Grouping an article's letters (analyseArticle) takes seconds for thousands
// of letters. It runs in a worker thread, not on the thread that asked: the
// grouping job runs in the writer thread, whose event loop must stay free to
// commit incoming letters (a grouping of 3,000 letters there held every
// letter's acknowledgement for over a second), and an editor's "group now"
// runs on the thread that answers HTTP. One worker: grouping is background
// work and should leave the other core to requests and commits. Piscina
// unrefs an idle worker and ends it after 30 s: it never holds the process.
import { Piscina } from 'piscina';
import type { AnalyseInput, ArticleInsights } from '../insights/index.ts';
import { StanceModel } from '../insights/index.ts';

const WORKER = new URL('./analysis-worker.ts', import.meta.url);
let pool: Piscina | null = null;

/** `analyseArticle` in the analysis worker; the input crosses as plain data (the stance model as JSON). */
export function analyseInWorker(input: AnalyseInput): Promise<ArticleInsights> {
  pool ??= new Piscina({ filename: WORKER.href, minThreads: 0, maxThreads: 1, idleTimeout: 30_000, atomics: 'disabled' });
  const stanceModel = input.stanceModel instanceof StanceModel ? input.stanceModel.toJSON() : input.stanceModel;
  return pool.run({ ...input, stanceModel });
}
