// Active markup in reader text, decided as a browser reads it. Pure; used by
// the form and API (which refuse it) and by mail reading (which flags it).
import { Tokenizer, type Token } from 'parse5';

// Whether text holds active markup is decided by the HTML tokenizer browsers
// follow (parse5's WHATWG tokenizer), not by patterns: "if fines < profits and
// profits > 0" is text to a browser and so to us, while
// `<p title=">" autofocus onfocus=…>` is one start tag with an event handler.
//
// Raw tokenizing (without a tree builder) sees the text exactly as a browser
// does as long as nothing switches the tokenizer into another state; the
// elements that do (raw text, escapable raw text, plaintext, foreign content)
// are themselves active here, so any text that passes was read as the browser
// would read it.

/** Elements that run, embed, load, submit or restyle, by the WHATWG HTML content categories. */
const ACTIVE_ELEMENTS = new Set([
  // scripting and script-supporting elements
  'script', 'noscript', 'template',
  // embedded content, its parts and its obsolete forms
  'img', 'image', 'picture', 'source', 'track', 'audio', 'video', 'canvas', 'iframe', 'embed', 'object', 'param', 'applet', 'frame', 'frameset', 'fencedframe', 'portal', 'svg', 'math', 'map', 'area', 'bgsound',
  // metadata content and the document's own elements
  'base', 'link', 'meta', 'style', 'title', 'html', 'head', 'body',
  // raw text and escapable raw text elements, and their obsolete forms (they change how what follows is tokenized)
  'textarea', 'xmp', 'noembed', 'noframes', 'plaintext',
  // forms (listed elements) and interactive content
  'form', 'input', 'button', 'select', 'output', 'fieldset', 'label', 'details', 'keygen', 'isindex',
]);

/** Attributes whose value is a URL (WHATWG HTML attribute index, plus obsolete and SVG forms) or a document. */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'srcset', 'srcdoc', 'action', 'formaction', 'data', 'poster', 'background', 'cite', 'longdesc', 'usemap', 'ping', 'manifest', 'icon', 'codebase', 'classid', 'archive', 'profile', 'lowsrc', 'dynsrc', 'itemtype', 'xlink:href', 'xmlns', 'xmlns:xlink',
]);

/** URL schemes that run script or render a document when followed. */
const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript', 'livescript', 'data']);

// In text, a script URL is the scheme glued to its code ("javascript:alert(1)");
// prose such as "JavaScript: the good parts" is not one. Tabs, line breaks and
// zero-width characters inside the scheme are ignored (the URL parser drops
// tabs and line breaks).
const INVISIBLE_IN_SCHEME = /[\t\n\r\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const SCRIPT_URL_IN_TEXT = /\b(?:java|vb|live)script:(?=\S)|\bdata:\s*(?:text\/html|application\/xhtml|image\/svg|text\/xml|application\/xml)/i;

const MESSAGES = {
  element: (name: string) => `must be plain text: HTML elements such as ${/^[a-z][a-z0-9-]{0,20}$/.test(name) ? `<${name}>` : '<script>, <img> or <svg>'} are not allowed`,
  handler: 'must be plain text: HTML event attributes (onclick, onerror, onfocus …) are not allowed',
  style: 'must be plain text: HTML style attributes are not allowed',
  scriptUrl: 'must be plain text: "javascript:" and other script links are not allowed',
  link: 'must be plain text: HTML links and sources are not allowed (write the address as plain text)',
};

/** The scheme of an attribute value as the URL parser reads it (leading and trailing controls and spaces, tabs and newlines ignored). */
function schemeOf(value: string): string | null {
  const v = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(v);
  return m ? m[1]!.toLowerCase() : null;
}

function activeStartTag(token: Token.TagToken): string | null {
  for (const a of token.attrs) {
    const scheme = schemeOf(a.value);
    if (scheme && SCRIPT_SCHEMES.has(scheme)) return MESSAGES.scriptUrl;
  }
  for (const a of token.attrs) if (a.name.startsWith('on')) return MESSAGES.handler;
  if (ACTIVE_ELEMENTS.has(token.tagName)) return MESSAGES.element(token.tagName);
  for (const a of token.attrs) {
    if (a.name === 'style') return MESSAGES.style;
    if (URL_ATTRIBUTES.has(a.name)) return MESSAGES.link;
  }
  return null;
}

/**
 * Tokenizes `s` as a browser would and returns why it is active (or null) and
 * its text with character references decoded. Markup inside a comment is
 * judged too: a comment's delimiters are all that keeps it inert, and readers
 * that take them off exist (conditional comments, a CDATA section read as XML).
 */
function scan(s: string, depth = 0): { reason: string | null; text: string } {
  let reason: string | null = null;
  const text: string[] = [];
  const onText = (t: Token.CharacterToken) => void text.push(t.chars);
  const tokenizer = new Tokenizer(
    {},
    {
      onStartTag(t) {
        reason ??= activeStartTag(t);
      },
      onEndTag() {},
      onComment(t) {
        if (depth < 2 && /[<&:]/.test(t.data)) reason ??= scan(`${t.data}\u0000"'>`, depth + 1).reason;
      },
      onDoctype() {},
      onEof() {},
      onCharacter: onText,
      onNullCharacter: onText,
      onWhitespaceCharacter: onText,
    },
  );
  tokenizer.write(s, true);
  const decoded = text.join('');
  // In the text, and in tag names too: "<javascript:alert(1)>" is an autolink to Markdown.
  if (!reason && (SCRIPT_URL_IN_TEXT.test(decoded.replace(INVISIBLE_IN_SCHEME, '')) || SCRIPT_URL_IN_TEXT.test(s.replace(INVISIBLE_IN_SCHEME, '')))) reason = MESSAGES.scriptUrl;
  return { reason, text: decoded };
}

/**
 * Why this text holds active markup, or null when it is ordinary text. Text
 * that becomes active markup once its character references are decoded
 * ("&lt;img src=x onerror=…&gt;", "&amp;lt;…") counts too: some readers
 * decode once or twice more than they should. Pure; linear in the length of
 * the text.
 */
export function activeMarkup(s: string): string | null {
  if (!/[<&:]/.test(s)) return null;
  // Without "<" or "&" the tokenizer would hand back the text unchanged: only a script URL can be there.
  if (!s.includes('<') && !s.includes('&')) return SCRIPT_URL_IN_TEXT.test(s.replace(INVISIBLE_IN_SCHEME, '')) ? MESSAGES.scriptUrl : null;
  // A tag left open at the end (`<img src=x onerror=alert(1)` or an unclosed
  // quote) becomes one as soon as anything follows it on a page: it is judged
  // as if the text closed it.
  let text = s;
  // Decoded again while references remain (a few times at most: each decoding shortens the text).
  for (let level = 0; level < 4; level++) {
    const { reason, text: decoded } = scan(`${text}\u0000"'>`);
    if (reason) return reason;
    const next = decoded.replace(/[\u0000\uFFFD]"'>$/, '');
    if (!text.includes('&') || next === text || !/[<&:]/.test(next)) return null;
    text = next;
  }
  return null;
}
