// Publishing a letter: `publish` (now) and `schedule` (a time). The action
// itself fixes the public text, name, town and headline (letters/actions.ts);
// its event processors tell the writer with the link and fire the
// `letter.published` webhook (src/processors). A scheduled letter has a job
// due at its time, and a sweep at start and every minute picks up any due
// letter whose job was lost, so a schedule survives restarts.
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { findLetterById, type Letter } from '../db/repositories/letters.ts';
import { dueScheduledIds } from '../db/repositories/published.ts';
import { takeAction } from '../letters/actions.ts';
import { displayNameFor, publishedTextFor } from '../letters/display.ts';
import { mailWriter } from './mail.ts';
import { writerTranslator } from './readers.ts';
import { publishedNotice } from './templates.ts';

export function letterUrl(ctx: AppContext, letterId: string): string {
  return `${ctx.config.publicUrl}/letters/${encodeURIComponent(letterId)}`;
}

/** Tells the writer their letter is published, with its link. */
export async function mailPublishedNotice(ctx: AppContext, trx: Trx, letter: Letter): Promise<void> {
  const url = letterUrl(ctx, letter.id);
  await mailWriter(ctx, trx, letter, 'published', (withdrawUrl) => publishedNotice({ t: writerTranslator(ctx.publication, letter), publicationName: ctx.publication.name, writerName: letter.name, url, withdrawUrl }));
}

/** What integrators hear of a published letter: what the public sees. */
export function publishedWebhookData(ctx: AppContext, letter: Letter): Record<string, unknown> {
  return {
    letter: {
      id: letter.id,
      article: letter.articleId,
      headline: letter.headline,
      name: displayNameFor(letter),
      town: letter.town,
      text: publishedTextFor(letter),
      url: letterUrl(ctx, letter.id),
      publishedAt: (letter.publishedAt ?? new Date()).toISOString(),
    },
  };
}

/** Publishes a scheduled letter whose time has come; anything else is left alone. */
export async function publishIfDue(ctx: AppContext, letterId: string, now = new Date()): Promise<boolean> {
  const letter = await findLetterById(ctx.db, letterId);
  if (!letter || letter.status !== 'scheduled' || !letter.scheduledAt || letter.scheduledAt.getTime() > now.getTime()) return false;
  const out = await takeAction(ctx, letterId, { action: 'publish_scheduled' }, { kind: 'system', label: 'scheduler' });
  // 409: another node or the sweep published it first.
  return out.ok;
}

/** Publishes every due scheduled letter; returns how many. */
export async function sweepScheduled(ctx: AppContext, now = new Date()): Promise<number> {
  let n = 0;
  for (const id of await dueScheduledIds(ctx.db, now)) if (await publishIfDue(ctx, id, now)) n++;
  return n;
}
