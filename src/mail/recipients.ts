// Who else a letter was sent to. Writers often send one letter to several
// papers at once; most publications print only letters written for them, so
// screening flags a letter whose To/Cc list other publications' letters
// addresses, and shows those addresses to the editor. Pure functions.

import type { MailAddress } from './types.ts';

/** Lower-cased address without a "+tag" in the local part. */
function baseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 0) return a;
  return a.slice(0, at).replace(/\+.*$/, '') + a.slice(at);
}

/**
 * The To and Cc recipients other than the desk's own addresses (also with a
 * "+tag") and the sender, each once, in the order they appear.
 * `own` entries starting with "@" stand for a whole domain.
 */
export function otherRecipients(to: MailAddress[], cc: MailAddress[], own: string[] = [], sender = ''): MailAddress[] {
  const ownAddresses = new Set(own.filter((o) => !o.startsWith('@')).map(baseAddress));
  const ownDomains = own.filter((o) => o.startsWith('@')).map((o) => o.slice(1).toLowerCase());
  const seen = new Set<string>([baseAddress(sender)]);
  const out: MailAddress[] = [];
  for (const r of [...to, ...cc]) {
    if (!r.address || !r.address.includes('@')) continue;
    const key = baseAddress(r.address);
    const domain = key.slice(key.lastIndexOf('@') + 1);
    if (seen.has(key) || ownAddresses.has(key) || ownDomains.some((d) => domain === d || domain.endsWith('.' + d))) continue;
    seen.add(key);
    out.push({ name: r.name, address: r.address.trim() });
  }
  return out;
}

// Local parts publications use for readers' letters, in several languages.
const LETTERS_LOCAL =
  /^(letters?|letters?[-_.]?(to[-_.]?the[-_.]?)?editors?|letters?[-_.]?desk|letters?[-_.]?page|lettertotheeditor|lte|yourletters|your[-_.]?letters|readers?[-_.]?letters|reader[-_.]?mail|readers?|leserbriefe?|leserpost|courrier([-_.]?des)?([-_.]?lecteurs)?|lecteurs|cartas?([-_.]?(al|del)?[-_.]?(director|lector(es)?))?|lettere|lettori|brieven|ingezonden|insandare|debatt|debat|debate|opinion|opinions|oped|op[-_.]?ed|commentary|comment|views|voices|viewpoints?|forum|editorial|editorials|editorial[-_.]?page)$/i;
// Local parts of an editor's or newsroom's address: letters go there too, but
// so does other mail, so they count only at a publication's domain.
const EDITOR_LOCAL = /^(editor|editors|the[-_.]?editor|chief[-_.]?editor|editor[-_.]?in[-_.]?chief|news|newsdesk|news[-_.]?desk|newsroom|redaktion|redaction|redaccion|redazione|redactie|tips|submissions?)$/i;
// Words in publications' domain names (mastheads), in several languages.
const MASTHEAD =
  /(times|post|herald|gazette|tribune|journal|news|chronicle|courier|observer|guardian|independent|telegraph|examiner|inquirer|dispatch|register|record|review|standard|monitor|bulletin|sentinel|globe|echo|argus|clarion|advocate|enquirer|leader|mercury|express|mirror|star|sun|daily|weekly|press|magazine|mag|zeitung|blatt|anzeiger|kurier|rundschau|nachrichten|presse|quotidien|matin|soir|diario|periodico|noticias|prensa|correo|gaceta|heraldo|corriere|gazzetta|giornale|stampa|krant|dagblad|avis|tidning|posten|bladet|media|radio|tv|newspaper|paper)/i;
const FREEMAIL = /^(gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|aol|icloud|me|mac|gmx|web|mail|protonmail|proton|yandex|zoho|fastmail|hey|tutanota|orange|free|laposte|t-online|freenet|libero|virgilio|comcast|verizon|btinternet|sky)\./i;

export interface PublicationAddress extends MailAddress {
  /** Why it looks like a publication's letters address. */
  reason: string;
}

/**
 * Which of the given addresses look like other publications' letters
 * addresses: a letters-page local part (letters@, letters.editor@, opinion@,
 * leserbriefe@, courrier@, cartas@ …) at any domain but a free-mail or
 * government one, or an editor's or newsroom's local part at a domain whose
 * name reads like a masthead (…times, …herald, …gazette, …zeitung, …diario).
 */
export function publicationAddresses(addresses: MailAddress[]): PublicationAddress[] {
  const out: PublicationAddress[] = [];
  for (const a of addresses) {
    const address = a.address.trim().toLowerCase();
    const at = address.lastIndexOf('@');
    if (at <= 0) continue;
    const local = address.slice(0, at).replace(/\+.*$/, '');
    const domain = address.slice(at + 1);
    if (FREEMAIL.test(domain) || /(^|\.)(gov|gob|gouv|mil)(\.|$)/.test(domain)) continue;
    const labels = domain.split('.').slice(0, -1).join('.');
    const masthead = MASTHEAD.exec(labels);
    if (LETTERS_LOCAL.test(local)) {
      out.push({ name: a.name, address: a.address, reason: `letters address "${local}@"${masthead ? ` at a publication's domain (${masthead[0]})` : ''}` });
    } else if (EDITOR_LOCAL.test(local) && masthead) {
      out.push({ name: a.name, address: a.address, reason: `editor's address "${local}@" at a publication's domain (${masthead[0]})` });
    } else if (/letters|leserbrief|editor/.test(local) && masthead) {
      out.push({ name: a.name, address: a.address, reason: `"${local}@" at a publication's domain (${masthead[0]})` });
    }
  }
  return out;
}
