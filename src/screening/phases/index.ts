// The screening phases, in the order they run. Every letter runs this list,
// from the form or by mail; at the mail door, the phases marked `atDoor` run
// on the message first. A new check is a new file here and a line below.
import type { ScreeningPhase } from '../pipeline.ts';
import { activeMarkupPhase } from './active-markup.ts';
import { articlePhase } from './article.ts';
import { campaignPhase } from './campaign.ts';
import { mailAuthPhase } from './mail-auth.ts';
import { policyPhase } from './policy.ts';
import { sentElsewherePhase } from './sent-elsewhere.ts';
import { proofOfWorkPhase } from './proof-of-work.ts';
import { spamModelPhase } from './spam-model.ts';
import { spamRulesPhase } from './spam-rules.ts';

export const SCREENING_PHASES: readonly ScreeningPhase[] = [
  articlePhase, // which article (policy needs its date; spam trusts its site's links)
  spamRulesPhase,
  mailAuthPhase,
  proofOfWorkPhase,
  spamModelPhase,
  campaignPhase,
  policyPhase,
  sentElsewherePhase, // after the policy: its account of `not_exclusive` is the more specific
  activeMarkupPhase,
];
