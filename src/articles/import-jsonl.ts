// `letterdesk articles import FILE.jsonl`: one article per line. Bad lines are
// reported with their line number and skipped; good ones are saved.
import fs from 'node:fs';
import readline from 'node:readline';
import type { Db } from '../db/connect.ts';
import { fieldErrors } from '../util/field-errors.ts';
import { articleInput } from './schema.ts';
import { ArticleConflict, saveArticle } from './save.ts';

export type ImportReport = { created: number; updated: number; errors: { line: number; error: string }[] };

/** `onProgress(bytesRead, fileBytes)` as the file is read, for a progress bar. */
export async function importArticlesJsonl(db: Db, file: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, errors: [] };
  const total = fs.statSync(file).size;
  const input = fs.createReadStream(file, 'utf8');
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    onProgress?.(input.bytesRead, total);
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      report.errors.push({ line: n, error: 'not valid JSON' });
      continue;
    }
    const parsed = articleInput.safeParse(json);
    if (!parsed.success) {
      report.errors.push({ line: n, error: Object.entries(fieldErrors(parsed.error)).map(([k, v]) => `${k}: ${v}`).join('; ') });
      continue;
    }
    try {
      const { created } = await saveArticle(db, parsed.data);
      created ? report.created++ : report.updated++;
    } catch (err) {
      if (err instanceof ArticleConflict) report.errors.push({ line: n, error: err.message });
      else throw err;
    }
  }
  return report;
}
