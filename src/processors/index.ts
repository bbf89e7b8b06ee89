// Everything that happens after a change to a letter, in one place. A change
// (intake, an editor's action, a writer's link, the scheduler) records an
// event in its own transaction (the audit log) and queues it; the dispatcher
// (src/events/dispatcher.ts) then runs, for each event, every processor
// below that handles its action, in this order, each exactly once.
//
//   received           screen → insights (a job places it: theme and stance) → acknowledge → webhooks (letter.received)
//   request_approval   notify-writer (the edit to approve)
//   publish, publish_scheduled
//                      notify-writer (published, with the link) → learn-spam (publish) → webhooks (letter.published)
//   decline            notify-writer (the editor's reply, or the notice)
//   spam, not_spam, shortlist
//                      learn-spam (and insights, for not_spam)
//   assign_article     insights (placed among the new article's themes)
//   schedule           schedule-publishing (a job at the time)
//   withdraw           webhooks (letter.withdrawn)
//
// What must hold at the moment of the change itself (the status, the public
// text of a published letter, a writer's verification) is written by the
// change, not here (letters/intake.ts, letters/actions.ts).
import type { Processor } from '../events/processor.ts';
import { acknowledge } from './acknowledge.ts';
import { insights } from './insights.ts';
import { learnSpam } from './learn-spam.ts';
import { notifyWriter } from './notify-writer.ts';
import { schedulePublishing } from './schedule-publishing.ts';
import { screen } from './screen.ts';
import { webhooks } from './webhooks.ts';

export const PROCESSORS: readonly Processor[] = [screen, insights, acknowledge, notifyWriter, learnSpam, schedulePublishing, webhooks];
