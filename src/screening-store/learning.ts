// Editors' decisions teach the spam model (the learn-spam event processor
// calls `teach`). Each letter teaches one label at a time: a reversed
// decision first takes back (unlearns) what the letter taught before.
// Lessons are appended to a log; every node's model catches up by reading it
// (state.ts).
// `assign_article` teaches nothing here: the action itself records the
// correction (method `editor`) and takes the letter out of the unmatched tray.
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import type { Letter } from '../db/repositories/letters.ts';
import { appendSpamLesson, getSpamLabel, lockScreening, setSpamLabel } from '../db/repositories/screening.ts';
import { spamText } from '../screening/spam.ts';

export async function teach(ctx: AppContext, trx: Trx, letter: Letter, label: 'spam' | 'ham', opts: { replace: boolean }): Promise<void> {
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
