// What a reader submits through the form or the JSON API, and the checks that
// give each field a message the reader can act on. The same schema feeds the
// OpenAPI document.
import { z } from 'zod';
import { translator, type MessageKey, type Values } from '../i18n/index.ts';
import { fieldErrors, type FieldErrors } from '../util/field-errors.ts';
import { activeMarkup, bidiOverride, controlCharacters, countWords, hasVisibleText, normaliseText, validEmail } from './text-rules.ts';

/** Hard ceiling: above this a letter is refused. The publication's own word limit only flags. */
export const MAX_WORDS = 1000;
const MAX_BODY_CHARS = 20_000;

/** Words for the field messages: the reader's catalogue, English by default (the API's messages). */
export type Say = (key: MessageKey, values?: Values) => string;
const english = translator('en');
const sayEnglish: Say = (key, values) => english.t(key, values);

type LineField = { field: 'name' | 'town'; max: number; name?: boolean };

function line({ field, max, name }: LineField, say: Say) {
  return z
    .string({ error: (i) => say(i.input === undefined || i.input === null ? 'error.required' : 'error.notText', { field }) })
    .transform((s) => normaliseText(s).trim())
    .superRefine((s, ctx) => {
      if (!s) return void ctx.addIssue({ code: 'custom', message: say('error.required', { field }) });
      if (s.length > max) return void ctx.addIssue({ code: 'custom', message: say('error.tooLong', { field, max }) });
      if (controlCharacters(s, false)) return void ctx.addIssue({ code: 'custom', message: say('error.control', { field }) });
      if (name && bidiOverride(s)) return void ctx.addIssue({ code: 'custom', message: say('error.bidi', { field }) });
      const markup = activeMarkup(s);
      if (markup) ctx.addIssue({ code: 'custom', message: say('error.markup', { field, detail: markup }) });
    });
}

function schema(say: Say) {
  const email = z
    .string({ error: say('error.emailRequired') })
    .transform((s) => normaliseText(s).trim())
    .superRefine((s, ctx) => {
      if (!s) return void ctx.addIssue({ code: 'custom', message: say('error.emailRequired') });
      if (!validEmail(s)) ctx.addIssue({ code: 'custom', message: say('error.emailInvalid') });
    });

  const body = z
    .string({ error: say('error.bodyRequired') })
    .transform((s) => normaliseText(s.replace(/\r\n?/g, '\n')).replace(/^\s*\n/, '').trimEnd())
    .superRefine((s, ctx) => {
      if (!hasVisibleText(s)) return void ctx.addIssue({ code: 'custom', message: say('error.bodyRequired') });
      if (controlCharacters(s, true)) return void ctx.addIssue({ code: 'custom', message: say('error.bodyControl') });
      const words = countWords(s);
      if (words > MAX_WORDS || s.length > MAX_BODY_CHARS) return void ctx.addIssue({ code: 'custom', message: say('error.bodyTooLong', { words, max: MAX_WORDS }) });
      const markup = activeMarkup(s);
      if (markup) ctx.addIssue({ code: 'custom', message: say('error.bodyMarkup', { detail: markup }) });
    });

  const article = z
    .string({ error: say('error.article') })
    .transform((s) => s.trim())
    .refine((s) => s.length > 0 && s.length <= 2000 && !controlCharacters(s, false), say('error.article'));

  /** The fields a letter is submitted with; `article` is the article's id or URL. */
  return z.strictObject({
    article,
    name: line({ field: 'name', max: 100, name: true }, say),
    email,
    town: line({ field: 'town', max: 100 }, say),
    body,
    consent: z.literal(true, { error: say('error.consent') }),
    /** The writer says the letter is sent to us alone. */
    exclusive: z.boolean({ error: 'exclusive must be true or false.' }).optional(),
    /** How the writer's name should appear if published: full name, initials, or withheld. */
    nameDisplay: z.enum(['full', 'initials', 'withheld'], { error: 'nameDisplay must be full, initials or withheld.' }).optional(),
    /** The solved proof-of-work challenge (base64 JSON), when proof-of-work is on. */
    altcha: z.string().max(4000).optional(),
  });
}

/** The fields a letter is submitted with, with the API's (English) messages; the OpenAPI document is built from it. */
// One schema for every language: building a zod schema costs more than a
// letter's whole validation (it was a tenth of the HTTP thread's time at 200
// letters a second), so its messages are kept as keys and put into the
// reader's words only when a field has a problem.
const KEY_MARK = '\u0000say:';
const sayLater: Say = (key, values) => `${KEY_MARK}${JSON.stringify([key, values ?? null])}`;

export const letterSubmission = schema(sayLater);

export type LetterSubmission = z.output<typeof letterSubmission>;

/** Validates a submission; every field with a problem gets one message. */
export function validateSubmission(input: unknown, say?: Say): { ok: true; value: LetterSubmission } | { ok: false; fields: FieldErrors } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, fields: { _: 'The request must be a JSON object.' } };
  const r = letterSubmission.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const fields = fieldErrors(r.error);
  for (const [field, message] of Object.entries(fields)) {
    if (!message.startsWith(KEY_MARK)) continue;
    const [key, values] = JSON.parse(message.slice(KEY_MARK.length)) as [MessageKey, Values | null];
    fields[field] = (say ?? sayEnglish)(key, values ?? undefined);
  }
  return { ok: false, fields };
}
