// Every kind of background job and what runs it. Jobs are work that talks to
// the outside world or waits for a time: the event processors (src/processors)
// queue them in the same transaction as the rest of their work.
import { placeLetters, PLACE_JOB } from '../insights-store/place.ts';
import { groupArticle, GROUP_JOB } from '../insights-store/regroup.ts';
import { pollFeedJob } from '../feeds/poll.ts';
import { finishPending } from '../inbound/index.ts';
import { deliverMail } from '../outbox/deliver.ts';
import { publishIfDue } from '../publishing/publish.ts';
import { deliverWebhook } from '../publishing/webhooks.ts';
import type { JobHandlers } from './runner.ts';

export const JOBS: JobHandlers = {
  /** Sends an outbox mail through the relay (or keeps it in the outbox without one). */
  deliver_mail: (ctx, payload) => deliverMail(ctx, String(payload.mailId)),
  /** Posts a webhook delivery, signed; retried with backoff until its last attempt. */
  deliver_webhook: (ctx, payload, job) => deliverWebhook(ctx, String(payload.deliveryId), job.attempts >= job.maxAttempts),
  /** Publishes a scheduled letter when its time has come. */
  publish_scheduled: async (ctx, payload) => void (await publishIfDue(ctx, String(payload.letterId))),
  /** Reads a message the SMTP spool stored (or one whose settling failed) and settles it: a letter, a reply, the tray, quarantine. */
  process_inbound: async (ctx, payload, job) => void (await finishPending(ctx, String(payload.id), { attempt: job.attempts, last: job.attempts >= job.maxAttempts })),
  /** Polls an article feed from the CMS, saves new and changed articles, and queues the feed's next poll. */
  poll_feed: pollFeedJob,
  /** Places arrived letters among their articles' lines of argument, with a stance each (the text work in the placing worker). */
  [PLACE_JOB]: (ctx, payload) => placeLetters(ctx, Array.isArray(payload.letterIds) ? payload.letterIds.map(String) : []),
  /** Groups an article's letters into lines of argument again (letters grew by a fifth, or an editor taught). */
  [GROUP_JOB]: async (ctx, payload) => void (await groupArticle(ctx, String(payload.articleId), { fromJob: true })),
};
