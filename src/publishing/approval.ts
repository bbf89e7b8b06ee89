// Writer consent. `request_approval` mails the writer the edited letter with
// the changes marked and a one-time link; the writer approves or refuses on
// the page behind it, or by replying to the mail. Approve → ready; refuse →
// back to shortlisted with the writer's comment in the letter's history.
import type { AppContext } from '../context.ts';
import { findArticleById } from '../db/repositories/articles.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import { spendLink, spendOpenLinks } from '../db/repositories/writer-links.ts';
import { takeAction, type ActionOutcome } from '../letters/actions.ts';
import type { Reader, Trx } from '../db/executor.ts';
import type { Letter } from '../db/repositories/letters.ts';
import { checkLink, issueLink, type LinkProblem } from './links.ts';
import { mailWriter } from './mail.ts';
import { publishingPolicies } from './policies.ts';
import { plainRedline } from './redline.ts';
import { writerTranslator } from './readers.ts';
import { approvalRequest } from './templates.ts';

/** Mails the writer the edited letter with the changes marked and a one-time approval link (after `request_approval`). */
export async function mailApprovalRequest(ctx: AppContext, trx: Trx, letter: Letter): Promise<void> {
  // A new request voids the links of earlier ones: they were for another text.
  await spendOpenLinks(ctx.db, trx, letter.id, 'approval');
  const days = publishingPolicies(ctx.publication).approvalLinkDays;
  const approvalUrl = await issueLink(ctx, trx, letter.id, 'approval', days);
  const article = letter.articleId ? await findArticleById(ctx.db, letter.articleId, trx) : null;
  const edited = letter.editedBody ?? letter.body;
  await mailWriter(ctx, trx, letter, 'approval_request', (withdrawUrl) =>
    approvalRequest({
      t: writerTranslator(ctx.publication, letter),
      publicationName: ctx.publication.name,
      writerName: letter.name,
      articleTitle: article?.title ?? null,
      redline: plainRedline(letter.body, edited),
      edited,
      approvalUrl,
      withdrawUrl,
      days,
      asksConsent: !letter.consentAt,
    }),
  );
}

export type Decision = 'approve' | 'refuse';

export type ResponseOutcome = { ok: true; decision: Decision } | { ok: false; status: number; reason: string; code?: LinkProblem };

/** The writer's answer through the approval link. */
export async function respondByLink(ctx: AppContext, letterId: string, token: string, decision: Decision, comment?: string): Promise<ResponseOutcome> {
  const check = await checkLink(ctx, letterId, 'approval', token);
  if (!check.ok) return { ok: false, status: check.status, reason: check.reason, code: check.code };
  const out = await decide(ctx, letterId, decision, comment);
  if (!out.ok) return { ok: false, status: out.status, reason: out.status === 409 ? 'This letter is no longer waiting for your approval.' : out.error };
  // A letter by email without consent yet: the page said that approving the version agrees to its publication.
  if (decision === 'approve' && !out.letter.consentAt) await takeAction(ctx, letterId, { action: 'consent' }, { kind: 'writer', letterId });
  // The lifecycle already refuses a second answer (the letter left awaiting_approval); spending the link says so clearly.
  await ctx.db.writes.run((trx) => spendLink(ctx.db, trx, check.link.id));
  return { ok: true, decision };
}

// "Approve" in the languages the desk writes to writers in (the approval mail says which word to use in each).
const APPROVE = /^\s*(?:i\s+)?(?:approve[ds]?|yes|yes\s+please|ok(?:ay)?|agreed?|fine|ja|ja,?\s+bitte|einverstanden|oui|d['’]accord|j['’]approuve|s[ií]|de\s+acuerdo|vale|apruebo)(?=$|[\s.!,])[\s.!]*$/iu;

/** The first line the writer typed, without quoted text (the intake wiring trims quotes already; this is belt and braces). */
function ownText(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .trim();
}

/**
 * A reply threaded onto a letter awaiting approval (called by the email
 * intake wiring): "approve"/"yes" on the first line approves; anything else
 * refuses, with the reply as the writer's comment.
 */
export async function applyWriterReply(ctx: AppContext, letterId: string, text: string): Promise<ActionOutcome | { ok: false; status: 409; error: string }> {
  const letter = await findLetterById(ctx.db, letterId);
  if (!letter || letter.status !== 'awaiting_approval') return { ok: false, status: 409, error: 'the letter is not awaiting approval' };
  const own = ownText(text);
  const firstLine = own.split('\n').find((l) => l.trim()) ?? '';
  const approve = APPROVE.test(firstLine);
  const out = await decide(ctx, letterId, approve ? 'approve' : 'refuse', approve ? undefined : own.slice(0, 2000) || '(no comment)');
  if (out.ok) await ctx.db.writes.run((trx) => spendOpenLinks(ctx.db, trx, letterId, 'approval'));
  // As on the page: the approval mail said that approving agrees to publication.
  if (out.ok && approve && !out.letter.consentAt) await takeAction(ctx, letterId, { action: 'consent' }, { kind: 'writer', letterId });
  return out;
}

function decide(ctx: AppContext, letterId: string, decision: Decision, comment?: string): Promise<ActionOutcome> {
  const input = decision === 'approve' ? { action: 'approve' as const } : { action: 'refuse' as const, ...(comment ? { comment } : {}) };
  return takeAction(ctx, letterId, input, { kind: 'writer', letterId });
}
