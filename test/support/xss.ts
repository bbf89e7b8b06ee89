// The script vectors (test/fixtures/xss/vectors.jsonl) and how to look at
// HTML the way a browser builds it (parse5's tree builder): which elements
// and attributes are there, and what text.
import fs from 'node:fs';
import fc from 'fast-check';
import { parseFragment } from 'parse5';
import { FIXTURES } from './fixtures.ts';

export type Vector = { v: string; from: string };

export function vectors(): Vector[] {
  return fs
    .readFileSync(`${FIXTURES}xss/vectors.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Vector);
}

type Node = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string; content?: Node };

/** Elements (with their attributes) and text of an HTML fragment, as a browser's parser builds them. */
export function htmlShape(html: string): { elements: { tag: string; attrs: string[] }[]; text: string } {
  const elements: { tag: string; attrs: string[] }[] = [];
  let text = '';
  const walk = (n: Node) => {
    if (n.nodeName === '#text') text += n.value ?? '';
    else if (n.tagName) elements.push({ tag: n.tagName, attrs: (n.attrs ?? []).map((a) => `${a.name}=${a.value}`) });
    for (const c of n.childNodes ?? []) walk(c);
    if (n.content) walk(n.content);
  };
  walk(parseFragment(html) as unknown as Node);
  return { elements, text };
}

/** Reader text made of the vectors, markup-like prose, words in several scripts and the characters that matter to HTML, XML, CSV and Markdown. */
export function readerText(opts: { lines?: boolean } = {}): fc.Arbitrary<string> {
  const pieces = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...vectors().map((x) => x.v)) },
    { weight: 3, arbitrary: fc.constantFrom('if fines < profits and profits > 0', 'AT&T', 'Zdeněk', 'قال المحرر', '東京', '👍🏽', '&amp;', '&lt;b&gt;', ']]>', '--', '\\', '`x`', '*bold*', '[1]', '(see)', '#tag', '"quoted"', "it's", '=SUM(A1)', '+1', '-1', '@user', '\t') },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'<>&"\'=/:;!-[]()`*_#+|~@ abcjsrpt'.split('')), maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(' ', ' ', '\n', '\n\n') },
  );
  return fc.array(pieces, { minLength: 1, maxLength: opts.lines === false ? 6 : 12 }).map((a) => {
    const s = a.join('');
    return opts.lines === false ? s.replace(/[\r\n\t]+/g, ' ') : s;
  });
}

/** Characters XML 1.0 cannot carry, which the feeds drop. */
export const withoutXmlInvalid = (s: string) => s.replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
