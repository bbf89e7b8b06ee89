// Line classification for reply trimming.
//
// Each line of a mail body gets one type:
//   e  empty (also lines holding only quote marks or invisible characters)
//   d  delimiter ("-- ", "-----Original Message-----", "____", "Begin forwarded message:")
//   s  mobile sign-off ("Sent from my iPhone", "Envoyé depuis mon iPhone", ...)
//   b  embedded-message marker ("On … wrote:", "Le … a écrit :", "Am … schrieb …:")
//   h  header line of an embedded message ("From:", "Von:", "De :", "*Sent:*", ...)
//   q  quoted line ("> …", "Name> …")
//   t  anything else: the writer's text
// Markers that a mail client wrapped over several lines are recognised as one span.
// Every regex runs on one line (or a short joined span) capped in length, so the
// cost stays linear in the size of the body whatever the input.

export type LineType = 'e' | 'd' | 's' | 'b' | 'h' | 'q' | 't';

/** CRLF and bare CR as LF. (Tested first: a scan for one character costs much less than a replace that finds nothing.) */
export function lineFeeds(s: string): string {
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

const MAX_LINE = 1000;

const WROTE_VERBS =
  'wrote|writes|has written|a écrit|a ecrit|schrieb|schreef|het volgende geschreven|geschreven|escribió|escribio|escreveu|' +
  'ha scritto|scrisse|napisał\\(a\\)|napisała|napisał|napsal\\(a\\)|napsal|написал\\(а\\)|написала|написал|пише|пишет|' +
  'skrev|kirjoitti|写道|寫道|yazdı|írta|έγραψε|kirjutas|rašė|rakstīja|je napisal|napisao|scris'; // prettier-ignore

// Verb at the end: "On …, Someone <a@b> wrote:" / "… wrote ----".
const WROTE_END = new RegExp(`(?:${WROTE_VERBS})\\s*[:：]?\\s*(?:-{2,})?\\s*$`, 'i');
// Verb inside, span ends with a colon: "Am … schrieb Max <m@x>:", "… schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:".
const WROTE_MID = new RegExp(`(?:^|\\s)(?:${WROTE_VERBS})(?:\\s|$).{0,160}[:：]\\s*$`, 'i');
// Old Gmail style without a verb: "2016-10-24 15:36 GMT+02:00 Foo bar <foo@bar>:".
const ISO_DATE_MARKER = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b.{0,200}?(?:GMT[+-]?\d|<[^<>\s]+@[^<>\s]+>|\S+@\S+\.\w+)/i;

// What a marker span cannot do without: a line of it holding the last word
// of one of the verbs (every verb above ends in one of these, and none of
// them holds whitespace, so it lies within one line), or the start of an
// ISO date. classifyLines asks isMarkerText only about spans with such a line.
const VERB_WORDS = [...new Set(WROTE_VERBS.split('|').map((v) => v.split(' ').pop()!))].join('|');
const MARKER_CUES = new RegExp(`(?:${VERB_WORDS})|\\d{4}[-/.]\\d{1,2}[-/.]\\d`, 'gi');
// What a span that isMarkerText accepts cannot do without: one of those words,
// or the ISO date at its very start.
const VERB_CUE = new RegExp(`(?:${VERB_WORDS})`, 'i');
const LEADING_ISO_DATE = /^[\s>|*_-]*\d{4}[-/.]\d{1,2}[-/.]\d/;

const TIME = /\b\d{1,2}[:.]\d{2}\b|\d{1,2}:\d{2}|\d+時|下午|上午/;
const WEEKDAY =
  /\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(lun|mar|mer|jeu|ven|sam|dim)[a-z]*\b|lunes|martes|miércoles|jueves|viernes|sábado|domingo|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|segunda|terça|quarta|quinta|sexta|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela/i;
const YEAR = /\b(19|20)\d{2}\b|\d{4}年/;

/** True when a (joined) span reads like the header line of a quoted message. */
export function isMarkerText(raw: string): boolean {
  if (!VERB_CUE.test(raw) && !LEADING_ISO_DATE.test(raw)) return false;
  let s = raw.replace(/^[\s>|*_-]+/, '').replace(/[*_]+\s*$/, '').replace(/\s+/g, ' ').trim();
  if (s.length < 8 || s.length > 400) return false;
  s = s.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  if (/^\d{4}/.test(s) && ISO_DATE_MARKER.test(s) && !/[.!?]$/.test(s)) return true;
  // Anchored at the end: test only the tail so long spans stay cheap.
  if (!WROTE_END.test(s.slice(-80)) && !(/[:：]\s*$/.test(s) && WROTE_MID.test(s.slice(-240)))) return false;
  // The verb alone is not enough: "In 1776 Jefferson wrote:" is a letter's own text.
  // A quoted message's header carries a time, an address, "you wrote", or a date with a weekday.
  if (/@|\bmailto:/i.test(s)) return true;
  if (/\byou wrote\b/i.test(s)) return true;
  if (TIME.test(s) && /\d/.test(s)) return true;
  if (YEAR.test(s) && WEEKDAY.test(s)) return true;
  return false;
}

const DELIM_SYMBOLS = /^\s*[-_=*~#+•—–]{2,}\s*$/;
const NAMED_DELIM = /^\s*[*_]*\s*-{2,}\s*[\p{L}][\p{L} ]{2,40}?\s*-{2,}\s*[*_]*\s*$/u;
const FORWARD_LINE =
  /^\s*[*_]*\s*(begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|debut du message reexpedie|inicio del mensaje reenviado|mensaje reenviado|messaggio inoltrato|mensagem encaminhada|início da mensagem reencaminhada|doorgestuurd bericht|forwarded message|original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|originalmeddelande|opprinnelig melding|wiadomość oryginalna|исходное сообщение|пересланное сообщение)\s*[:：]?\s*[*_]*\s*$/i;

/** Kinds of delimiter, so callers can treat forwards and signatures differently. */
export function delimiterKind(line: string): 'signature' | 'forward' | 'original' | 'rule' | null {
  if (line.length > 120) return null;
  if (/^-- ?$/.test(line)) return 'signature';
  if ((line.includes('--') && NAMED_DELIM.test(line)) || FORWARD_LINE.test(line)) {
    return /forward|weitergeleitet|réexpédié|reexpedie|reenviado|inoltrato|encaminhad|doorgestuurd|пересланное/i.test(line) ? 'forward' : 'original';
  }
  if (DELIM_SYMBOLS.test(line)) return 'rule';
  return null;
}

const SIGNOFF_PREP = '(from|with|via|using|by|depuis|de|desde|da|dal|met|vanaf|von|fra|från|z|ze|с|з|mit|através)';
const MOBILE_SIGNATURES = [
  new RegExp(`^[(<\\s]*(sent|envoyé|envoye|enviado|enviada|inviato|inviata|verzonden|verstuurd|gesendet|sendt|skickat|lähetetty|wysłane|wysłano|odesláno|отправлено|надіслано|gönderildi)\\s+${SIGNOFF_PREP}\\b.{0,90}$`, 'i'),
  /^(von|vom) meine[mn]? .{0,60}gesendet\.?$/i,
  /^diese nachricht wurde von meine[mn] .{0,80}gesendet\.?$/i,
  /^from my (iphone|ipad|ipod|android|mobile|phone|blackberry|samsung|galaxy|smartphone|cell|htc|nokia|tablet)\b.{0,40}$/i,
  /^(從我的|从我的|我的).{0,30}(傳送|发送|發送|寄出)$/,
  /^get \[?(outlook|the .{1,30} app)\b.{0,80}$/i,
  /^(inviato|enviado|envoyé) (da|desde|de) (mi|mon|il mio|meu)? ?(iphone|ipad|android|smartphone|móvil|movil|cellulare)/i,
];

// The sign-offs as one pattern, tried once per line instead of one by one
// (the one without the i flag is in Chinese, which has no case to ignore).
const ANY_MOBILE_SIGNATURE = new RegExp(MOBILE_SIGNATURES.map((r) => `(?:${r.source})`).join('|'), 'i');
// "… from my phone" is the one sign-off that need not open the line: it is tried
// at each of the first 30 places, so only on lines short enough to hold it.
const FROM_DEVICE = /^.{0,30}\bfrom (my )?(mobile|phone|cell|handy)\.?$/i;
const FROM_DEVICE_MAX = 30 + 'from my mobile.'.length;

const isEmphasis = (c: number) => c === 0x2a || c === 0x5f; // "*" or "_"

/** True for one-line mobile/app sign-offs such as "Sent from my iPhone". */
export function isMobileSignature(line: string): boolean {
  const t = line.trim();
  if (t.length < 6) return false;
  // Emphasis marks round the line ("*Sent from my iPhone*") go; most lines have none to look for.
  const s = isEmphasis(t.charCodeAt(0)) || isEmphasis(t.charCodeAt(t.length - 1)) ? t.replace(/^[*_]+|[*_]+$/g, '') : t;
  if (s.length < 6 || s.length > 120) return false;
  return ANY_MOBILE_SIGNATURE.test(s) || (s.length <= FROM_DEVICE_MAX && FROM_DEVICE.test(s));
}

const HEADER_KEYS =
  'from|sent|to|cc|bcc|subject|date|reply-to|von|gesendet|an|betreff|datum|de|envoyé|envoye|à|a|objet|cc|enviado|para|asunto|fecha|' +
  'da|data|oggetto|inviato|risposta|från|skickat|till|ämne|datum|van|verzonden|aan|onderwerp|od|wysłano|do|temat|data|' +
  'от|отправлено|кому|тема|дата|fra|sendt|til|emne|dato|lähettäjä|lähetetty|vastaanottaja|aihe|发件人|发送时间|收件人|主题|寄件者|主旨|差出人|送信日時|宛先|件名';
const HEADER_LINE = new RegExp(`^\\s*[*_]{0,2}\\s*(${HEADER_KEYS})\\s*[*_]{0,2}\\s*[:：]\\s*[*_]{0,2}\\s*\\S`, 'i');
const FROM_KEY = /^\s*[*_]{0,2}\s*(from|von|de|da|från|van|od|от|fra|lähettäjä|发件人|寄件者|差出人)\s*[*_]{0,2}\s*[:：]/i;

export function isHeaderLine(line: string): boolean {
  // No header line without its colon: most lines are passed over on that alone.
  return line.length <= MAX_LINE && (line.includes(':') || line.includes('：')) && HEADER_LINE.test(line);
}

export function isFromHeaderLine(line: string): boolean {
  return FROM_KEY.test(line);
}

const QUOTE = /^\s*(>|[A-Za-z]{1,12}>(\s|$))/;
const EMPTY = /^[\s\u200b-\u200f\u2060\ufeff\u00a0\u1427]*$/;

function basicType(line: string): LineType {
  if (EMPTY.test(line)) return 'e';
  if (line.includes('>') && QUOTE.test(line)) {
    // A quote line with nothing but quote marks counts as empty.
    return /^[\s>]*$/.test(line) ? 'e' : 'q';
  }
  if (line.length > MAX_LINE) return 't';
  if (delimiterKind(line)) return 'd';
  if (isMobileSignature(line)) return 's';
  if (isHeaderLine(line)) return 'h';
  return 't';
}

// Line starts that can open a wrapped marker span (keeps span search cheap).
const SPAN_START = /^\s*[>\-*_\s]*(\S)/;

function joinSpan(lines: string[], from: number, to: number): string {
  let out = '';
  for (let k = from; k <= to; k++) out += ' ' + lines[k]!.replace(/^[\s>]*/, '');
  return out;
}

export type ClassifiedLines = { lines: string[]; types: LineType[] };

function isProseSentence(line: string): boolean {
  return /[.!?]["'’”)]?\s*$/.test(line) && (line.match(/\p{L}+/gu) ?? []).length >= 5 && !/@/.test(line);
}

/**
 * Splits text into lines and types them. Marker spans (up to 6 lines, wrapped by a
 * mail client) are typed 'b' as a whole; code fences (```) keep their content as text.
 */
export function classifyLines(text: string): ClassifiedLines {
  // Reading a letter classifies the same body twice (looking for a forward, then
  // trimming the reply): the last answer is kept, and handed out as copies
  // because callers retype lines in place.
  if (last && last.text === text) return { lines: last.lines.slice(), types: last.types.slice() };
  const out = classifyUncached(text);
  last = { text, lines: out.lines.slice(), types: out.types.slice() };
  return out;
}

let last: ({ text: string } & ClassifiedLines) | null = null;

function classifyUncached(text: string): ClassifiedLines {
  const body = lineFeeds(text);
  const lines = body.split('\n');
  const types: LineType[] = new Array(lines.length);
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      fence = !fence;
      types[i] = 't';
      continue;
    }
    types[i] = fence ? (EMPTY.test(line) ? 'e' : 't') : basicType(line);
  }
  // A marker span needs a line with a cue: a text without one (most mail) has no markers to look for.
  const cue = cueLines(body, lines);
  if (cue) markSpans(lines, types, cue);
  return { lines, types };
}

/**
 * Which lines (of 400 characters at most) hold a marker cue, or null when none
 * does. One scan of the whole text: a cue lies within one line, so the next
 * match from a line's start is in that line or shows the lines before it have none.
 */
function cueLines(body: string, lines: string[]): boolean[] | null {
  let cue: boolean[] | null = null;
  let line = 0;
  let lineStart = 0;
  MARKER_CUES.lastIndex = 0;
  for (let m = MARKER_CUES.exec(body); m; m = MARKER_CUES.exec(body)) {
    while (m.index > lineStart + lines[line]!.length) lineStart += lines[line++]!.length + 1;
    if (lines[line]!.length <= 400) (cue ??= new Array<boolean>(lines.length).fill(false))[line] = true;
    MARKER_CUES.lastIndex = lineStart + lines[line]!.length + 1;
  }
  return cue;
}

/**
 * Types marker spans 'b': tries each non-empty line as the start of a span of
 * 1..6 lines. A span is a marker only when one of its lines holds a cue, so a
 * start with no cue in the six lines from it is passed over.
 */
function markSpans(lines: string[], types: LineType[], cue: boolean[]): void {
  const nextCue: number[] = new Array(lines.length);
  for (let k = lines.length - 1, next = Infinity; k >= 0; k--) nextCue[k] = next = cue[k] ? k : next;
  for (let i = 0; i < lines.length; i++) {
    const t = types[i]!;
    if (nextCue[i]! >= i + 6) continue;
    if (t === 'e' || t === 'd' || t === 's' || lines[i]!.length > 400 || !SPAN_START.test(lines[i]!)) continue;
    let joined = '';
    let cued = false;
    for (let j = i; j < lines.length && j < i + 6; j++) {
      const piece = lines[j]!;
      if (piece.length > 400) break;
      if (j > i && types[j] === 'd') break;
      joined += ' ' + piece.replace(/^[\s>]*/, '');
      if (joined.length > 420) break;
      cued ||= cue[j]!;
      if (types[j] !== 'e' && cued && isMarkerText(joined)) {
        // Shrink from the start: "Thanks\nOn Mon, … wrote:" marks only the second line. A line
        // with a digit or an address is kept: it carries the date or sender of the marker.
        // Blank lines and finished sentences of five words or more ("A correction: the
        // line opened in 1994.") are the writer's text even when they hold a digit.
        let start = i;
        while (start < j && (!/[\d@]/.test(lines[start]!) || isProseSentence(lines[start]!)) && isMarkerText(joinSpan(lines, start + 1, j))) start++;
        while (start < j && types[start] === 'e') start++;
        for (let k = start; k <= j; k++) types[k] = 'b';
        i = j;
        break;
      }
      // A wrapped marker does not contain finished sentences.
      if (/[.!?]\s*$/.test(piece) && !/\d[.]\s*$/.test(piece)) break;
    }
  }
}
