// A small, safe HTML → text converter for HTML-only mail.
//
// It never builds a DOM and never executes anything: it scans tags with indexOf
// (linear time, no backtracking regexes on hostile input), drops script/style/head
// content, turns block elements into line breaks and <blockquote> content into
// "> " quoted lines so the reply extractor can recognise quoted text the same way
// it does in plain-text mail.

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav',
  'ul', 'ol', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'pre', 'address', 'center', 'form', 'fieldset', 'dl', 'dt', 'dd',
  'figure', 'figcaption', 'body', 'html',
]);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'pre', 'dl']);
// Elements whose whole content is never shown as text.
const SKIP = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg', 'math', 'object', 'iframe', 'xml']);

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  mdash: '—', ndash: '–', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”',
  bdquo: '„', laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©', reg: '®', trade: '™',
  euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', deg: '°', plusmn: '±',
  times: '×', divide: '÷', frac12: '½', frac14: '¼', frac34: '¾', shy: '', zwj: '\u200d', zwnj: '\u200c',
  iexcl: '¡', iquest: '¿', szlig: 'ß', agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä',
  aring: 'å', aelig: 'æ', ccedil: 'ç', egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì',
  iacute: 'í', icirc: 'î', iuml: 'ï', eth: 'ð', ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô',
  otilde: 'õ', ouml: 'ö', oslash: 'ø', ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý',
  yuml: 'ÿ', thorn: 'þ', Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å',
  AElig: 'Æ', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í',
  Icirc: 'Î', Iuml: 'Ï', ETH: 'Ð', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ',
  Ouml: 'Ö', Oslash: 'Ø', Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', THORN: 'Þ',
  oelig: 'œ', OElig: 'Œ', scaron: 'š', Scaron: 'Š', Yuml: 'Ÿ',
};

/** Decodes HTML character references; unknown names stay as written. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (m, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[name];
    return v === undefined ? m : v;
  });
}

type Line = { depth: number; text: string };

class Output {
  lines: Line[] = [{ depth: 0, text: '' }];
  depth = 0;

  private get last(): Line {
    return this.lines[this.lines.length - 1]!;
  }

  write(s: string): void {
    if (!s) return;
    const line = this.last;
    if (line.text === '') {
      s = s.replace(/^ +/, '');
      if (!s) return;
      line.depth = this.depth;
    } else if (line.text.endsWith(' ') && s.startsWith(' ')) {
      s = s.slice(1);
    }
    line.text += s;
  }

  /** Ensures the output ends with at least `n` line breaks (n=2: a blank line). */
  breaks(n: number): void {
    let trailing = 0;
    for (let i = this.lines.length - 1; i > 0 && this.lines[i]!.text === '' && trailing < n; i--) trailing++;
    if (this.lines.length === 1 && this.last.text === '') return; // nothing written yet
    for (; trailing < n; trailing++) this.lines.push({ depth: this.depth, text: '' });
  }

  toString(): string {
    const out: string[] = [];
    for (const l of this.lines) {
      const text = l.text.replace(/[ \t]+$/, '');
      const prefix = l.depth > 0 && text ? '>'.repeat(Math.min(l.depth, 20)) + ' ' : '';
      out.push(prefix + text);
    }
    return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  }
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!m) return null;
  return decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
}

/** Converts an HTML document or fragment to readable plain text. */
export function htmlToText(html: string, maxChars = 2_000_000): string {
  if (html.length > maxChars) html = html.slice(0, maxChars);
  const out = new Output();
  let pre = 0;
  let skipUntil: string | null = null;
  let linkHref: string | null = null;
  let linkText = '';
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i && skipUntil === null) {
      let text = decodeEntities(html.slice(i, end));
      if (pre > 0) {
        const parts = text.split(/\r?\n/);
        parts.forEach((p, k) => {
          if (k > 0) out.lines.push({ depth: out.depth, text: '' });
          const line = out.lines[out.lines.length - 1]!;
          if (line.text === '') line.depth = out.depth;
          line.text += p;
        });
      } else {
        text = text.replace(/[ \t\r\n\f]+/g, ' ');
        out.write(text);
      }
      if (linkHref !== null) linkText += text;
    }
    if (lt < 0) break;
    // Comments and declarations.
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? n : close + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) {
      // Truncated tag at the end of a cut-off document: drop it.
      break;
    }
    const tag = html.slice(lt, gt + 1);
    i = gt + 1;
    const m = /^<\s*(\/?)\s*([a-zA-Z][a-zA-Z0-9:-]*)/.exec(tag);
    if (!m) {
      // "<" not starting a tag, e.g. "a < b": keep as text.
      if (skipUntil === null && !tag.startsWith('<!') && !tag.startsWith('<?')) {
        out.write(decodeEntities(tag).replace(/[ \t\r\n\f]+/g, ' '));
      }
      continue;
    }
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (skipUntil !== null) {
      if (closing && name === skipUntil) skipUntil = null;
      continue;
    }
    if (!closing && SKIP.has(name) && !tag.endsWith('/>')) {
      skipUntil = name;
      continue;
    }
    if (name === 'br') {
      out.lines.push({ depth: out.depth, text: '' });
      continue;
    }
    if (name === 'hr') {
      out.breaks(2);
      continue;
    }
    if (name === 'blockquote') {
      out.breaks(1);
      out.depth = closing ? Math.max(0, out.depth - 1) : Math.min(out.depth + 1, 50);
      out.breaks(1);
      continue;
    }
    if (name === 'pre') {
      out.breaks(2);
      pre = closing ? Math.max(0, pre - 1) : pre + 1;
      continue;
    }
    if (name === 'li') {
      if (!closing) {
        out.breaks(1);
        out.write('- ');
      }
      continue;
    }
    if (name === 'td' || name === 'th') {
      if (closing) out.write(' ');
      continue;
    }
    if (name === 'img' && !closing) {
      const alt = attr(tag, 'alt');
      if (alt && alt.trim()) out.write(`[${alt.trim()}]`);
      continue;
    }
    if (name === 'a') {
      if (!closing) {
        linkHref = attr(tag, 'href');
        linkText = '';
      } else if (linkHref !== null) {
        // Keep http(s) link targets readable when the link text hides them, so a
        // cited article URL survives conversion. Other schemes are dropped.
        const href = linkHref.trim();
        const shown = linkText.trim();
        if (/^https?:\/\//i.test(href) && shown && shown !== href && !shown.includes(href.replace(/^https?:\/\//i, ''))) {
          out.write(` <${href}>`);
        }
        linkHref = null;
      }
      continue;
    }
    if (BLOCK.has(name)) {
      out.breaks(PARAGRAPH.has(name) ? 2 : 1);
    }
  }
  return out.toString();
}
