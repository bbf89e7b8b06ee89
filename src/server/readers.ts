// What every page readers see needs from the request: the language (the
// publication's, or the reader's where it allows it), the frame (name, logo,
// colours) and the headers that go with them.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Translator } from '../i18n/index.ts';
import { pageLanguage, readerSettings } from '../publishing/readers.ts';
import { translator } from '../i18n/index.ts';
import { publicPageHeaders, type Frame } from './html.ts';

export type ReaderView = { t: Translator; frame: Frame; headers: Record<string, string>; fromReader: boolean };

export function readerView(ctx: AppContext, req: Pick<FastifyRequest, 'headers'>): ReaderView {
  const settings = readerSettings(ctx.publication);
  const { lang, fromReader } = pageLanguage(ctx.publication, req.headers['accept-language']);
  const t = translator(lang, settings.messages);
  const themeVersion = crypto.createHash('sha256').update(JSON.stringify(settings.brand)).digest('base64url').slice(0, 10);
  const headers: Record<string, string> = {
    ...publicPageHeaders(settings.brand),
    // The page's words depend on the reader's language when the publication follows it.
    ...(settings.readerLanguage ? { vary: 'Accept-Language' } : {}),
    'content-language': t.lang,
  };
  return { t, frame: { t, publicationName: ctx.publication.name, brand: settings.brand, themeVersion }, headers, fromReader };
}

/** Sends an HTML page with the view's headers (and any others). */
export function sendPage(reply: FastifyReply, view: ReaderView, status: number, body: string, extra: Record<string, string> = {}) {
  return reply.code(status).headers({ 'content-type': 'text/html; charset=utf-8', ...view.headers, ...extra }).send(body);
}
