// What a reader submits through the form or the JSON API, and the checks that
// give each field a message the reader can act on. The same schema feeds the
// OpenAPI document.
import { z } from 'zod';
import { fieldErrors, type FieldErrors } from '../util/field-errors.ts';
import { activeMarkup, bidiOverride, controlCharacters, countWords, hasVisibleText, normaliseText, validEmail } from './text-rules.ts';

/** Hard ceiling: above this a letter is refused. The publication's own word limit only flags. */
export const MAX_WORDS = 1000;
const MAX_BODY_CHARS = 20_000;

type LineField = { label: string; max: number; name?: boolean };

function line({ label, max, name }: LineField) {
  return z
    .string({ error: (i) => (i.input === undefined || i.input === null ? `Please enter your ${label}.` : `Your ${label} must be text.`) })
    .transform((s) => normaliseText(s).trim())
    .superRefine((s, ctx) => {
      if (!s) return void ctx.addIssue({ code: 'custom', message: `Please enter your ${label}.` });
      if (s.length > max) return void ctx.addIssue({ code: 'custom', message: `Your ${label} is too long (at most ${max} characters).` });
      if (controlCharacters(s, false)) return void ctx.addIssue({ code: 'custom', message: `Your ${label} contains control characters; please retype it.` });
      if (name && bidiOverride(s)) return void ctx.addIssue({ code: 'custom', message: `Your ${label} contains invisible direction-override characters; please retype it.` });
      const markup = activeMarkup(s);
      if (markup) ctx.addIssue({ code: 'custom', message: `Your ${label} ${markup}.` });
    });
}

const email = z
  .string({ error: 'Please enter your email address.' })
  .transform((s) => normaliseText(s).trim())
  .superRefine((s, ctx) => {
    if (!s) return void ctx.addIssue({ code: 'custom', message: 'Please enter your email address.' });
    if (!validEmail(s)) ctx.addIssue({ code: 'custom', message: 'Please enter one valid email address, like name@example.com.' });
  });

const body = z
  .string({ error: 'Please write your letter.' })
  .transform((s) => normaliseText(s.replace(/\r\n?/g, '\n')).replace(/^\s*\n/, '').trimEnd())
  .superRefine((s, ctx) => {
    if (!hasVisibleText(s)) return void ctx.addIssue({ code: 'custom', message: 'Please write your letter.' });
    if (controlCharacters(s, true)) return void ctx.addIssue({ code: 'custom', message: 'Your letter contains control characters (such as NUL); please paste it again as plain text.' });
    const words = countWords(s);
    if (words > MAX_WORDS || s.length > MAX_BODY_CHARS)
      return void ctx.addIssue({ code: 'custom', message: `Your letter is ${words.toLocaleString('en')} words long; letters can be at most ${MAX_WORDS.toLocaleString('en')} words.` });
    const markup = activeMarkup(s);
    if (markup) ctx.addIssue({ code: 'custom', message: `Your letter ${markup}.` });
  });

const article = z
  .string({ error: 'Please say which article you are writing about.' })
  .transform((s) => s.trim())
  .refine((s) => s.length > 0 && s.length <= 2000 && !controlCharacters(s, false), 'Please say which article you are writing about.');

/** The fields a letter is submitted with; `article` is the article's id or URL. */
export const letterSubmission = z.strictObject({
  article,
  name: line({ label: 'name', max: 100, name: true }),
  email,
  town: line({ label: 'town', max: 100 }),
  body,
  consent: z.literal(true, { error: 'Please agree that we may publish and edit your letter.' }),
  /** The writer says the letter is sent to us alone. */
  exclusive: z.boolean({ error: 'exclusive must be true or false.' }).optional(),
  /** How the writer's name should appear if published: full name, initials, or withheld. */
  nameDisplay: z.enum(['full', 'initials', 'withheld'], { error: 'nameDisplay must be full, initials or withheld.' }).optional(),
  /** The solved proof-of-work challenge (base64 JSON), when proof-of-work is on. */
  altcha: z.string().max(4000).optional(),
});

export type LetterSubmission = z.output<typeof letterSubmission>;

/** Validates a submission; every field with a problem gets one message. */
export function validateSubmission(input: unknown): { ok: true; value: LetterSubmission } | { ok: false; fields: FieldErrors } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, fields: { _: 'The request must be a JSON object.' } };
  const r = letterSubmission.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, fields: fieldErrors(r.error) };
}
