// `letterdesk writer export|erase EMAIL`: a writer's data on request.
import type { AppContext } from '../context.ts';
import { eraseWriterData, exportWriterData, type EraseReport } from '../db/repositories/writer-data.ts';
import { emailKey } from '../letters/writer-keys.ts';
import { NAME_WITHHELD } from '../letters/display.ts';
import { publishingPolicies } from './policies.ts';
import { forgetCampaigns } from '../screening-store/state.ts';

export function exportWriter(ctx: AppContext, email: string) {
  return exportWriterData(ctx.db, emailKey(email));
}

export async function eraseWriter(ctx: AppContext, email: string): Promise<EraseReport> {
  const report = await eraseWriterData(ctx.db, emailKey(email), publishingPolicies(ctx.publication).eraseLetters, NAME_WITHHELD);
  // The campaign index in memory is rebuilt from the records left, without theirs.
  if (report.found) forgetCampaigns(ctx.db);
  return report;
}
