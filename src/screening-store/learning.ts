// Editors' decisions teach the spam model. `spam` teaches spam; `not_spam`
// teaches genuine, and so do shortlisting and publishing (an editor who
// shortlists a letter has judged it genuine). Each letter teaches one label
// at a time: a reversed decision first takes back (unlearns) what the letter
// taught before. Lessons are appended in the action's own transaction; every
// node's model catches up by reading them (state.ts).
// `assign_article` teaches nothing here: the action itself records the
// correction (method `editor`) and takes the letter out of the unmatched tray.
import type { AppContext } from '../context.ts';
import type { Executor } from '../db/executor.ts';
import type { Letter } from '../db/repositories/letters.ts';
import { appendSpamLesson, getSpamLabel, lockScreening, setSpamLabel } from '../db/repositories/screening.ts';
import { onAction } from '../letters/actions.ts';
import { spamText } from './state.ts';

export async function teach(ctx: AppContext, trx: Executor, letter: Letter, label: 'spam' | 'ham', opts: { replace: boolean }): Promise<void> {
  const { db } = ctx;
  await lockScreening(db, trx, 'spam');
  const before = await getSpamLabel(trx, letter.id);
  if (before === label) return;
  // An implicit "genuine" (shortlist, publish) never overrides an explicit decision.
  if (before && !opts.replace) return;
  const text = spamText(letter.subject, letter.body);
  if (before) await appendSpamLesson(db, trx, letter.id, before, -1, text);
  await appendSpamLesson(db, trx, letter.id, label, 1, text);
  await setSpamLabel(trx, letter.id, label);
}

onAction('spam', (ctx, trx, letter) => teach(ctx, trx, letter, 'spam', { replace: true }));
onAction('not_spam', (ctx, trx, letter) => teach(ctx, trx, letter, 'ham', { replace: true }));
onAction('shortlist', (ctx, trx, letter) => teach(ctx, trx, letter, 'ham', { replace: false }));
onAction('publish', (ctx, trx, letter) => teach(ctx, trx, letter, 'ham', { replace: false }));
