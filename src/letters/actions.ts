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
import { actorLabel, decide, type Action, type Actor, type LetterFacts, type Status } from './lifecycle.ts';
import { STANCES } from '../insights/index.ts';
import { teachStance, teachTheme } from '../insights-store/teach.ts';
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
  z.strictObject({
    action: z.literal('theme'),
    /** The line of argument's name; a new name makes a new theme at the article's next grouping. */
    theme: text(120).refine(hasVisibleText, 'a theme needs a name').refine((s) => !activeMarkup(s), 'theme names are plain text'),
  }),
  z.strictObject({ action: z.literal('stance'), stance: z.enum(STANCES) }),
]);
export type ActionInput = z.output<typeof actionInput>;
type WriterAction = { action: 'confirm' | 'consent' | 'approve' | 'refuse' | 'publish_scheduled'; comment?: string };

/** `stale`: the caller's copy of the letter is out of date (someone else changed it since); 409 too. */
export type ActionOutcome = { ok: true; letter: Letter } | { ok: false; status: 403 | 404 | 409 | 422; error: string; stale?: { version: number } };

export type ActionOptions = {
  /** The version of the letter the caller saw (If-Match); the action is refused if the letter has changed since. */
  expectedVersion?: number;
};

/** What a letter's facts say about which actions fit it (see `decide`). */
export function factsOf(letter: Letter): LetterFacts {
  return { edited: letter.editedBody !== null, withoutConsent: letter.consentAt === null };
}

export async function takeAction(ctx: AppContext, letterId: string, input: ActionInput | WriterAction, actor: Actor, opts: ActionOptions = {}): Promise<ActionOutcome> {
  const { db } = ctx;
  try {
    return await db.writes.run(async (trx) => {
      const letter = await findLetterById(db, letterId, trx);
      if (!letter) return { ok: false, status: 404, error: 'no such letter' } as const;
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== letter.version) return staleAnswer(letter);
      const d = decide(input.action, letter.status as Status, actor, letterId, factsOf(letter));
      if (!d.ok) return d;
      const changes = await changesFor(ctx, trx, letter, input, actor);
      if ('error' in changes) return { ok: false, status: 422, error: changes.error } as const;
      // Every action is a new version; written only if nobody changed the letter since it was read here.
      if (!(await updateLetter(db, letter.id, { ...changes, status: d.to }, trx, letter.version))) {
        const now = (await findLetterById(db, letterId, trx)) ?? letter;
        return staleAnswer(now);
      }
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

function staleAnswer(now: Letter): ActionOutcome {
  return {
    ok: false,
    status: 409,
    error: `Someone else changed this letter since you opened it (it is now ${now.status.replace(/_/g, ' ')}, version ${now.version}). Reload it to see their change; nothing of yours was saved.`,
    stale: { version: now.version },
  };
}

export { NO_CONSENT } from './lifecycle.ts';

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
      const unverified = await missingVerification(ctx, trx, letter);
      if (unverified) return { error: unverified };
      return { scheduledAt: at };
    }
    case 'publish':
    case 'publish_scheduled': {
      // An edited text the writer has not approved, or a letter by email without its writer's consent, is refused by the lifecycle (decide, with factsOf).
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
    case 'theme':
    case 'stance':
      if (!letter.articleId) return { error: 'the letter is not matched to an article: assign it to one first' };
      return {};
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
    case 'theme':
      return teachTheme(ctx.db, trx, { id: letter.id, articleId: letter.articleId!, body: letter.body }, input.theme);
    case 'stance':
      return teachStance(ctx.db, trx, { id: letter.id, articleId: letter.articleId!, body: letter.body }, input.stance);
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
