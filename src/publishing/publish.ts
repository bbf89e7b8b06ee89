// Publishing a letter: `publish` (now) and `schedule` (a time). A scheduled
// letter has a job due at its time, and a sweep at start and every minute
// picks up any due letter whose job was lost, so a schedule survives
// restarts. Publishing fixes the public text, name, town and headline,
// tells the writer with the link, and fires the `letter.published` webhook.
import type { AppContext } from '../context.ts';
import type { Executor } from '../db/executor.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { findLetterById, type Letter } from '../db/repositories/letters.ts';
import { dueScheduledIds, setPublishedFields } from '../db/repositories/published.ts';
import { registerJob } from '../jobs/runner.ts';
import { onAction, takeAction } from '../letters/actions.ts';
import { startupHooks } from '../cli/startup-hooks.ts';
import { displayNameFor, publishedTextFor } from './display.ts';
import { mailWriter } from './mail.ts';
import { publishedNotice } from './templates.ts';
import { emitWebhook } from './webhooks.ts';

export function letterUrl(ctx: AppContext, letterId: string): string {
  return `${ctx.config.publicUrl}/letters/${encodeURIComponent(letterId)}`;
}

async function onPublished(ctx: AppContext, trx: Executor, letter: Letter): Promise<void> {
  const fields = { body: publishedTextFor(letter), town: letter.town, displayName: displayNameFor(letter), headline: letter.headline };
  await setPublishedFields(ctx.db, trx, letter.id, fields);
  const url = letterUrl(ctx, letter.id);
  await mailWriter(ctx, trx, letter, 'published', (withdrawUrl) => publishedNotice({ publicationName: ctx.publication.name, writerName: letter.name, url, withdrawUrl }));
  await emitWebhook(ctx, trx, 'letter.published', {
    letter: {
      id: letter.id,
      article: letter.articleId,
      headline: fields.headline,
      name: fields.displayName,
      town: fields.town,
      text: fields.body,
      url,
      publishedAt: (letter.publishedAt ?? new Date()).toISOString(),
    },
  });
}

onAction('publish', (ctx, trx, letter) => onPublished(ctx, trx, letter));
onAction('publish_scheduled', (ctx, trx, letter) => onPublished(ctx, trx, letter));

onAction('schedule', async (ctx, trx, letter) => {
  // Rescheduling adds a job for the new time; a job that finds the letter not
  // (yet) due does nothing.
  await enqueueJob(ctx.db, trx, 'publish_scheduled', { letterId: letter.id }, letter.scheduledAt ?? new Date());
});

onAction('withdraw', async (ctx, trx, letter) => {
  await emitWebhook(ctx, trx, 'letter.withdrawn', { letter: { id: letter.id, article: letter.articleId, wasPublished: letter.publishedAt !== null } });
});

/** Publishes a scheduled letter whose time has come; anything else is left alone. */
export async function publishIfDue(ctx: AppContext, letterId: string, now = new Date()): Promise<boolean> {
  const letter = await findLetterById(ctx.db, letterId);
  if (!letter || letter.status !== 'scheduled' || !letter.scheduledAt || letter.scheduledAt.getTime() > now.getTime()) return false;
  const out = await takeAction(ctx, letterId, { action: 'publish_scheduled' }, { kind: 'system', label: 'scheduler' });
  // 409: another node or the sweep published it first.
  return out.ok;
}

registerJob('publish_scheduled', async (ctx, payload) => {
  await publishIfDue(ctx, String(payload.letterId));
});

/** Publishes every due scheduled letter; returns how many. */
export async function sweepScheduled(ctx: AppContext, now = new Date()): Promise<number> {
  let n = 0;
  for (const id of await dueScheduledIds(ctx.db, now)) if (await publishIfDue(ctx, id, now)) n++;
  return n;
}

const SWEEP_MS = 60_000;

startupHooks.push(async (ctx) => {
  const log = ctx.log.child({ component: 'scheduler' });
  const run = () =>
    sweepScheduled(ctx)
      .then((n) => n && log.info({ published: n }, 'scheduled letters published'))
      .catch((err) => log.error({ err }, 'scheduled publishing sweep failed'));
  await run();
  const timer = setInterval(run, SWEEP_MS);
  timer.unref();
  return async () => clearInterval(timer);
});
