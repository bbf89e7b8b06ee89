// Commands that change a letter: load it, ask the lifecycle, write the change
// and its event in one transaction. Every door (API, desk, writers' links,
// jobs) calls `takeAction`. What follows from the change (mail to the writer,
// webhooks, spam lessons) is done by the event's processors (src/processors).
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { findArticleById } from '../db/repositories/articles.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findLetterById, updateLetter, type Letter, type LetterChanges } from '../db/repositories/letters.ts';
import { readPolicies } from '../db/repositories/publication.ts';
import { findWriterById } from '../db/repositories/writers.ts';
import { setPublishedFields } from '../db/repositories/published.ts';
import { recordVerification, verifyByEmailIfUnverified } from '../db/repositories/writer-verification.ts';
import { displayNameFor, publishedTextFor } from './display.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { actorLabel, decide, type Action, type Actor, type Status } from './lifecycle.ts';
import { activeMarkup, controlCharacters, hasVisibleText, normaliseText } from './text-rules.ts';

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => normaliseText(s.replace(/\r\n?/g, '\n')))
    .refine((s) => !controlCharacters(s, true), 'contains control characters');

/** The body of `POST /api/v1/letters/:id/actions`, one shape per action. */
export const actionInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('shortlist') }),
  z.strictObject({
    action: z.literal('decline'),
    reason: text(2000).optional(),
    /** A reply to send the writer (plain text, from the desk's editable template); none when absent. */
    reply: text(10_000).refine(hasVisibleText, 'the reply needs text').optional(),
  }),
  z.strictObject({ action: z.literal('spam') }),
  z.strictObject({ action: z.literal('not_spam') }),
  z.strictObject({ action: z.literal('assign_article'), article: z.string().min(1).max(200) }),
  z.strictObject({ action: z.literal('assign'), editor: z.string().max(200).nullable() }),
  z.strictObject({ action: z.literal('note'), text: text(10_000).refine(hasVisibleText, 'a note needs text') }),
  z.strictObject({
    action: z.literal('verify'),
    how: z.enum(['phone', 'email', 'in_person', 'other']),
    note: text(2000).optional(),
    phone: text(100).optional(),
    postalAddress: text(1000).optional(),
  }),
  z.strictObject({
    action: z.literal('edit'),
    body: text(20_000).refine(hasVisibleText, 'the edited letter needs text').refine((s) => !activeMarkup(s), 'letters are plain text'),
    headline: text(300).optional(),
    displayName: text(200).optional(),
  }),
  z.strictObject({ action: z.literal('request_approval') }),
  z.strictObject({ action: z.literal('schedule'), at: z.iso.datetime({ offset: true }) }),
  z.strictObject({ action: z.literal('publish'), headline: text(300).optional(), displayName: text(200).optional() }),
  z.strictObject({ action: z.literal('withdraw'), reason: text(2000).optional() }),
]);
export type ActionInput = z.output<typeof actionInput>;
type WriterAction = { action: 'confirm' | 'consent' | 'approve' | 'refuse' | 'publish_scheduled'; comment?: string };

export type ActionOutcome = { ok: true; letter: Letter } | { ok: false; status: 403 | 404 | 409 | 422; error: string };

export async function takeAction(ctx: AppContext, letterId: string, input: ActionInput | WriterAction, actor: Actor): Promise<ActionOutcome> {
  const { db } = ctx;
  try {
    return await db.writes.run(async (trx) => {
      const letter = await findLetterById(db, letterId, trx);
      if (!letter) return { ok: false, status: 404, error: 'no such letter' } as const;
      const d = decide(input.action, letter.status as Status, actor, letterId);
      if (!d.ok) return d;
      const changes = await changesFor(ctx, trx, letter, input, actor);
      if ('error' in changes) return { ok: false, status: 422, error: changes.error } as const;
      await updateLetter(db, letter.id, { ...changes, status: d.to }, trx);
      await recordEvent(db, trx, { letterId, actor: actorLabel(actor), action: input.action, data: eventData(input, letter.status, d.to) });
      const updated = (await findLetterById(db, letterId, trx))!;
      await alsoChange(ctx, trx, updated, input, actor);
      return { ok: true, letter: updated } as const;
    });
  } catch (err) {
    ctx.log.error({ err, letterId, action: input.action }, 'action failed');
    throw err;
  }
}

/** Why a letter by email cannot be published yet: its writer has not agreed to publication. */
export const NO_CONSENT =
  'the writer has not yet agreed to publication: a letter by email needs the same consent the form asks for. The acknowledgement mail asked them (a link to a page with a button); once they press it, the letter can be published';

async function changesFor(ctx: AppContext, trx: Trx, letter: Letter, input: ActionInput | WriterAction, actor: Actor): Promise<LetterChanges | { error: string }> {
  switch (input.action) {
    case 'confirm':
      return { confirmedAt: new Date() };
    case 'consent':
      return { consent: true, consentAt: new Date() };
    case 'assign_article': {
      const article = await findArticleById(ctx.db, input.article, trx);
      if (!article) return { error: `no article with id "${input.article}"` };
      return { articleId: article.id, articleMethod: 'editor', articleConfidence: 1 };
    }
    case 'assign':
      return { assignedTo: input.editor };
    case 'edit':
      return {
        editedBody: input.body === letter.body ? null : input.body,
        ...(input.headline !== undefined ? { headline: input.headline || null } : {}),
        ...(input.displayName !== undefined ? { displayName: input.displayName || null } : {}),
      };
    case 'schedule': {
      const at = new Date(input.at);
      if (!letter.consentAt) return { error: NO_CONSENT };
      if (letter.editedBody && letter.status !== 'ready' && letter.status !== 'scheduled')
        return { error: 'the writer has not approved the edited text; request approval first' };
      const unverified = await missingVerification(ctx, trx, letter);
      if (unverified) return { error: unverified };
      return { scheduledAt: at };
    }
    case 'publish':
    case 'publish_scheduled': {
      if (!letter.consentAt) return { error: NO_CONSENT };
      if (letter.editedBody && !['ready', 'scheduled'].includes(letter.status))
        return { error: 'the writer has not approved the edited text; request approval first' };
      const unverified = await missingVerification(ctx, trx, letter);
      if (unverified) return { error: unverified };
      const changes: LetterChanges = { publishedAt: new Date() };
      if (input.action === 'publish') {
        if (input.headline !== undefined) changes.headline = input.headline;
        if (input.displayName !== undefined) changes.displayName = input.displayName;
      }
      return changes;
    }
    case 'withdraw':
      return { scheduledAt: null };
    default:
      void actor;
      return {};
  }
}

/** What an action changes beyond the letter's row, in the same transaction. */
async function alsoChange(ctx: AppContext, trx: Trx, letter: Letter, input: ActionInput | WriterAction, actor: Actor): Promise<void> {
  switch (input.action) {
    case 'publish':
    case 'publish_scheduled':
      // What the public sees is fixed at publication: the approved text, the name as the writer chose it.
      return setPublishedFields(ctx.db, trx, letter.id, { body: publishedTextFor(letter), town: letter.town, displayName: displayNameFor(letter), headline: letter.headline });
    case 'verify':
      return recordVerification(ctx.db, trx, letter.writerId, { how: input.how, by: actorLabel(actor), at: new Date(), phone: input.phone, postalAddress: input.postalAddress });
    case 'confirm':
      // Confirming the address through the emailed link counts as verification by email.
      return verifyByEmailIfUnverified(ctx.db, trx, letter.writerId, new Date());
  }
}

/** A publication may require a phone check of the writer before publishing (policy `requirePhoneVerification`). */
async function missingVerification(ctx: AppContext, trx: Trx, letter: Letter): Promise<string | null> {
  const policies = await readPolicies(ctx.db, trx);
  if (!policies.requirePhoneVerification) return null;
  const writer = await findWriterById(ctx.db, letter.writerId, trx);
  return writer?.verifiedHow === 'phone' ? null : 'this publication requires the writer to be verified by phone before publishing';
}

function eventData(input: ActionInput | WriterAction, from: string, to: string): Record<string, unknown> {
  const { action: _action, ...rest } = input as Record<string, unknown>;
  return { from, to, ...rest };
}
