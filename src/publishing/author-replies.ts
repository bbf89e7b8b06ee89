// The article's author may answer a published letter: an editor invites them
// (a mail with a one-time link), they write a reply, and it is published
// beneath the letter.
import type { AppContext } from '../context.ts';
import { findArticleById } from '../db/repositories/articles.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import { insertAuthorReply } from '../db/repositories/published.ts';
import { spendLink } from '../db/repositories/writer-links.ts';
import { controlCharacters, hasVisibleText, normaliseText } from '../letters/text-rules.ts';
import { checkLink, issueLink, type LinkProblem } from './links.ts';
import { mailAbout } from './mail.ts';
import { writerTranslator } from './readers.ts';
import { authorInvitation } from './templates.ts';

const INVITATION_DAYS = 30;

export async function inviteAuthor(ctx: AppContext, letterId: string, to: { email: string; name: string | null }, actor: string): Promise<{ ok: true } | { ok: false; status: 404 | 409; error: string }> {
  return ctx.db.writes.run(async (trx) => {
    const letter = await findLetterById(ctx.db, letterId, trx);
    if (!letter) return { ok: false, status: 404, error: 'no such letter' } as const;
    if (letter.status !== 'published') return { ok: false, status: 409, error: 'only published letters can be answered' } as const;
    const article = letter.articleId ? await findArticleById(ctx.db, letter.articleId, trx) : null;
    const authorName = to.name ?? article?.author ?? 'the author';
    const replyUrl = await issueLink(ctx, trx, letter.id, 'author_reply', INVITATION_DAYS, { authorName });
    const t = writerTranslator(ctx.publication, { language: null });
    const mail = authorInvitation({
      t,
      publicationName: ctx.publication.name,
      authorName,
      articleTitle: article?.title ?? null,
      letterName: letter.displayName ?? t.t('mail.author.aReader'),
      letterText: letter.editedBody ?? letter.body,
      replyUrl,
    });
    await mailAbout(ctx, trx, letter, 'author_invitation', { address: to.email, name: authorName }, mail.subject, mail.text);
    await recordEvent(ctx.db, trx, { letterId, actor, action: 'author_invited', data: { authorName } });
    return { ok: true } as const;
  });
}

export type ReplyOutcome = { ok: true } | { ok: false; status: number; reason: string; code?: LinkProblem | 'empty' | 'too_long' };

export async function submitAuthorReply(ctx: AppContext, letterId: string, token: string, body: string): Promise<ReplyOutcome> {
  const check = await checkLink(ctx, letterId, 'author_reply', token);
  if (!check.ok) return { ok: false, status: check.status, reason: check.reason, code: check.code };
  const text = normaliseText(body.replace(/\r\n?/g, '\n')).trim();
  if (!hasVisibleText(text)) return { ok: false, status: 422, reason: 'Please write your reply.', code: 'empty' };
  if (text.length > 10_000 || controlCharacters(text, true)) return { ok: false, status: 422, reason: 'Please keep the reply to plain text under 10,000 characters.', code: 'too_long' };
  const authorName = String(check.link.data.authorName ?? 'The author');
  return ctx.db.writes.run(async (trx) => {
    if (!(await spendLink(ctx.db, trx, check.link.id))) return { ok: false, status: 410, reason: 'This link has already been used.', code: 'used' } as const;
    await insertAuthorReply(ctx.db, trx, { letterId, authorName, body: text });
    await recordEvent(ctx.db, trx, { letterId, actor: 'author', action: 'author_replied', data: { authorName } });
    return { ok: true } as const;
  });
}
