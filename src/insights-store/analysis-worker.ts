// The analysis worker (a piscina worker thread, see analysis-pool.ts): groups
// an article's letters into lines of argument and reads their stances, a pure
// function over the data it is sent.
import { analyseArticle, type AnalyseInput, type ArticleInsights } from '../insights/index.ts';

export default function analyse(input: AnalyseInput): ArticleInsights {
  return analyseArticle(input);
}
