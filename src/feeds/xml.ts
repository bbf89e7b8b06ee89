// XML documents (RSS, Atom, RDF, sitemaps) read with fast-xml-parser: checked
// first, so that a broken document is an error with its line and column
// rather than half a feed; entity expansion stays within the parser's limits
// and nothing external is ever loaded. Elements that may repeat always come
// as arrays.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedError } from './item.ts';

const REPEATED = new Set(['item', 'entry', 'url', 'sitemap', 'link', 'category', 'author', 'dc:creator', 'dc:subject', 'news:keywords']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

export type XmlNode = Record<string, unknown>;

/** The document's root element name and content; throws FeedError for malformed XML. */
export function readXml(text: string): { root: string; node: XmlNode } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  let doc: XmlNode;
  try {
    doc = parser.parse(text) as XmlNode;
  } catch (err) {
    throw new FeedError(`malformed XML: ${(err as Error).message}`);
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (!root) throw new FeedError('the XML document has no root element');
  const node = doc[root];
  return { root, node: node && typeof node === 'object' ? (node as XmlNode) : {} };
}

/** An element's text, whether it came with attributes or not; the first of repeated ones. */
export function text(v: unknown): string | undefined {
  if (v == null) return undefined;
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const t = (v as XmlNode)['#text'];
    return t == null ? undefined : String(t);
  }
  return undefined;
}

export function list(v: unknown): XmlNode[] {
  if (v == null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (x && typeof x === 'object' ? (x as XmlNode) : { '#text': x }));
}

export function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}
