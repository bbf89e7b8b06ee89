// `letterdesk writer export|erase EMAIL`: a writer's data on request.
import type { AppContext } from '../context.ts';
import { eraseWriterData, exportWriterData, type EraseReport } from '../db/repositories/writer-data.ts';
import { emailKey } from '../letters/writer-keys.ts';
import { NAME_WITHHELD } from '../letters/display.ts';
import { publishingPolicies } from './policies.ts';

export function exportWriter(ctx: AppContext, email: string) {
  return exportWriterData(ctx.db, emailKey(email));
}

export async function eraseWriter(ctx: AppContext, email: string): Promise<EraseReport> {
  // Their letters leave every node's campaign index too: the campaign log records the removals (state.ts).
  return eraseWriterData(ctx.db, emailKey(email), publishingPolicies(ctx.publication).eraseLetters, NAME_WITHHELD);
}
