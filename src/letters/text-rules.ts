// Letters are plain text. These rules decide what text is acceptable from a
// reader: ordinary text of any script is; active markup and control
// characters are not. Everything shown later is escaped anyway: refusing
// active markup is about telling the writer early, not about safety.
export { activeMarkup } from '../util/active-markup.ts';

/** NFC, so that "Zdeněk" typed with combining marks and precomposed compare equal. */
export function normaliseText(s: string): string {
  return s.normalize('NFC');
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// C0 controls except tab, LF, CR; DEL; C1 controls.
const CONTROL_IN_BODY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// Bidirectional overrides and isolates can disguise a name.
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;

export function controlCharacters(s: string, multiline: boolean): boolean {
  return (multiline ? CONTROL_IN_BODY : CONTROL_IN_LINE).test(s);
}

export function bidiOverride(s: string): boolean {
  return BIDI_OVERRIDE.test(s);
}

/** Whether anything would be visible once whitespace and zero-width characters are gone. */
export function hasVisibleText(s: string): boolean {
  return s.replace(ZERO_WIDTH, '').trim().length > 0;
}

export function countWords(s: string): number {
  return s.replace(ZERO_WIDTH, '').match(/\S+/g)?.length ?? 0;
}

/**
 * One syntactically valid address: exactly one "@", a dotted domain, no
 * spaces or line breaks. Deliberately simpler than RFC 5322: quoted local
 * parts and IP-literal domains are refused because no reader uses them.
 */
export function validEmail(s: string): boolean {
  if (s.length > 254 || /[\s\u0000-\u001F\u007F]/.test(s)) return false;
  const parts = s.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts as [string, string];
  if (!local || local.length > 64 || !/^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
}
