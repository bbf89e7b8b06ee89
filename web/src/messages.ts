// What the desk says: each action's button, and what happened after it, in
// words an editor would use. Kept in one place so the desk can be translated.
import type { EditorAction, LetterDetail } from './api.ts';
import { formatDate } from './text.ts';

/** Actions taken in a panel of their own rather than from the action buttons: theme and stance in the letter's "What readers think" panel. */
export const PANEL_ACTIONS: readonly string[] = ['theme', 'stance'];

export const ACTION_LABELS: Record<EditorAction, string> = {
  shortlist: 'Shortlist',
  decline: 'Decline…',
  spam: 'Spam',
  not_spam: 'Not spam',
  assign_article: 'Change article…',
  assign: 'Assign…',
  edit: 'Edit',
  request_approval: 'Ask the writer to approve',
  schedule: 'Schedule…',
  publish: 'Publish',
  withdraw: 'Withdraw',
  note: 'Add note',
  verify: 'Verify writer…',
  theme: 'File under a line of argument…',
  stance: 'Set stance…',
};

/** The message after an action on one letter, from the letter as it now is. */
export function doneMessage(action: string, l: LetterDetail, input: Record<string, unknown> = {}): string {
  switch (action) {
    case 'shortlist':
      return 'Shortlisted.';
    case 'decline':
      return input.reply ? 'Declined. Your reply is on its way to the writer.' : 'Declined. No reply sent.';
    case 'spam':
      return 'Marked as spam. The filter will learn from it.';
    case 'not_spam':
      return 'Not spam: back in the queue as new.';
    case 'assign_article':
      return 'Moved to the chosen article.';
    case 'assign':
      return l.assignedTo ? `Assigned to ${l.assignedTo}.` : 'No longer assigned.';
    case 'edit':
      return l.editedBody ? 'Edit saved. The writer must approve it before it is published.' : 'Edit saved: the text is the writer’s own again.';
    case 'request_approval':
      return 'Sent to the writer for approval. You will see their answer here.';
    case 'schedule':
      return l.scheduledAt ? `Scheduled for ${formatDate(l.scheduledAt)}.` : 'Scheduled.';
    case 'publish':
      return 'Published. Writer notified.';
    case 'withdraw':
      return 'Withdrawn. It is no longer published or in the running.';
    case 'note':
      return 'Note added.';
    case 'verify':
      return 'Writer verified.';
    case 'theme':
      return `Filed under “${String(input.theme ?? '')}”. Letters like it will follow.`;
    case 'stance':
      return `Stance set to ${String(input.stance ?? '')}.`;
    default:
      return 'Done.';
  }
}

/** After a bulk action: how many went through, and why the others did not. */
export function bulkMessage(action: string, results: { ok: boolean; error?: string }[]): string {
  const ok = results.filter((r) => r.ok).length;
  const failed = results.filter((r) => !r.ok);
  const verb: Record<string, string> = { shortlist: 'Shortlisted', decline: 'Declined', spam: 'Marked as spam', not_spam: 'Marked as not spam' };
  const head = `${verb[action] ?? 'Done'}: ${ok} ${ok === 1 ? 'letter' : 'letters'}.`;
  return failed.length ? `${head} ${failed.length} could not be: ${failed[0]!.error}.` : head;
}
