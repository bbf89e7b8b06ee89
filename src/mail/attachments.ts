// Letters sent as attachments: when the body is empty or only says "my letter is
// attached", the text comes from the attachment (.txt, .docx, .odt, .pdf, .html).
// Attachments are read as data only: nothing is executed, macros are ignored,
// containers are checked against zip bombs before anything is inflated.

import { hash } from 'node:crypto';
import { decodeEntities, htmlToText } from './html-to-text.ts';
import { checkZipBomb, readZipEntry, zipEntries, ZipLimitError } from './zip.ts';
import type { AttachmentSummary, AttachmentText, MailLimits, ParsedAttachment } from './types.ts';

export function summarizeAttachments(list: ParsedAttachment[]): AttachmentSummary[] {
  return list.map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    sha256: hash('sha256', a.content, 'hex'),
  }));
}

const ATTACHED =
  /\b(attach|attached|attachment|enclosed|enclosing|see (the )?(file|document)|pièce jointe|ci-joint|en pj|adjunt[oa]|anexo|anbei|im anhang|angehängt|in allegato|allegat[oa]|in bijlage|bijgevoegd|als bijlage|bifogad|vedlagt|załącz|во вложении|вложени)/i;

const WORD = /\p{L}[\p{L}\p{N}'’-]*/gu;

/** True when a body is empty or little more than a note that the letter is attached. */
export function bodyPointsToAttachment(body: string): boolean {
  // Words counted only as far as 61: a longer body is a letter of its own.
  let words = 0;
  WORD.lastIndex = 0;
  while (words <= 60 && WORD.exec(body)) words++;
  if (words === 0) return true;
  return words <= 60 && ATTACHED.test(body);
}

type Kind = 'txt' | 'docx' | 'odt' | 'pdf' | 'html' | null;

function kindOf(a: ParsedAttachment): Kind {
  const name = (a.filename || '').toLowerCase();
  const type = a.contentType;
  if (name.endsWith('.docx') || type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return 'docx';
  if (name.endsWith('.odt') || type === 'application/vnd.oasis.opendocument.text') return 'odt';
  if (name.endsWith('.pdf') || type === 'application/pdf') return 'pdf';
  if (name.endsWith('.txt') || name.endsWith('.text') || (type === 'text/plain' && !name.match(/\.(csv|log|json|xml)$/))) return 'txt';
  if (name.endsWith('.html') || name.endsWith('.htm') || type === 'text/html') return 'html';
  return null;
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Text of an OpenDocument content.xml: paragraphs and headings, spaces, tabs, breaks. */
export function odtXmlToText(xml: string): string {
  const s = xml
    .replace(/<office:annotation\b[\s\S]*?<\/office:annotation>/g, '')
    .replace(/<text:s(?:\s+text:c="(\d+)")?\s*\/>/g, (_m, c?: string) => ' '.repeat(Math.min(Number(c || 1), 100)))
    .replace(/<text:tab\s*\/>/g, '\t')
    .replace(/<text:line-break\s*\/>/g, '\n')
    .replace(/<\/text:(p|h)>/g, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(s).replace(/\n{3,}/g, '\n\n').trim();
}

async function docxText(bytes: Uint8Array, limits: MailLimits): Promise<string> {
  const entries = zipEntries(bytes);
  if (!entries) throw new Error('not a valid .docx (zip) file');
  checkZipBomb(bytes, entries, limits.maxUnzipBytes);
  const mammoth = await import('mammoth');
  const lib = (mammoth as unknown as { default?: typeof mammoth }).default ?? mammoth;
  const result = await lib.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  return result.value.replace(/\n{3,}/g, '\n\n').trim();
}

function odtText(bytes: Uint8Array, limits: MailLimits): string {
  const entries = zipEntries(bytes);
  if (!entries) throw new Error('not a valid .odt (zip) file');
  const content = entries.find((e) => e.name === 'content.xml');
  if (!content) throw new Error('.odt without content.xml');
  const xml = new TextDecoder('utf-8').decode(readZipEntry(bytes, content, limits.maxUnzipBytes));
  return odtXmlToText(xml);
}

async function pdfText(bytes: Uint8Array, deadline: number): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const work = (async () => {
    // pdf.js may transfer/detach the buffer it gets: give it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      if (pdf.numPages > 50) throw new Error(`PDF has ${pdf.numPages} pages (limit 50)`);
      const { text } = await extractText(pdf, { mergePages: false });
      return (Array.isArray(text) ? text.join('\n\n') : String(text)).trim();
    } finally {
      void pdf.destroy();
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('PDF text extraction took too long')), Math.max(50, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Extracts readable text from one attachment, or explains why not. Never throws. */
export async function attachmentToText(
  a: ParsedAttachment,
  limits: MailLimits,
  deadline = Date.now() + limits.timeBudgetMs,
): Promise<{ text: string } | { error: string }> {
  try {
    const kind = kindOf(a);
    if (a.size > 15 * 1024 * 1024) return { error: 'attachment too large to read' };
    let text: string;
    switch (kind) {
      case 'txt':
        text = decodeText(a.content);
        break;
      case 'html':
        text = htmlToText(decodeText(a.content));
        break;
      case 'docx':
        text = await docxText(a.content, limits);
        break;
      case 'odt':
        text = odtText(a.content, limits);
        break;
      case 'pdf':
        text = await pdfText(a.content, deadline);
        break;
      default:
        return { error: `unsupported attachment type ${a.contentType}` };
    }
    text = text.replace(/\r\n?/g, '\n').replace(/\u0000/g, '');
    if (text.length > limits.maxTextChars) text = text.slice(0, limits.maxTextChars);
    return { text };
  } catch (err) {
    if (err instanceof ZipLimitError) return { error: `zip bomb guard: ${err.message}` };
    return { error: (err instanceof Error ? err.message : String(err)).slice(0, 200) };
  }
}

const ORDER: Kind[] = ['docx', 'odt', 'pdf', 'txt', 'html'];

/**
 * The letter text from the first readable attachment (documents before plain text),
 * marked with its filename; null when none yields text.
 */
export async function letterFromAttachments(
  list: ParsedAttachment[],
  limits: MailLimits,
  deadline = Date.now() + limits.timeBudgetMs,
  problems: string[] = [],
): Promise<AttachmentText> {
  const candidates = list
    .filter((a) => kindOf(a) !== null && a.disposition !== 'inline' && !a.contentType.startsWith('message/'))
    .sort((x, y) => ORDER.indexOf(kindOf(x)) - ORDER.indexOf(kindOf(y)))
    .slice(0, 5);
  for (const a of candidates) {
    if (Date.now() > deadline) {
      problems.push('time budget spent before reading attachments');
      break;
    }
    const r = await attachmentToText(a, limits, deadline);
    if ('text' in r && /\p{L}/u.test(r.text)) return { text: r.text, filename: a.filename || `attachment.${kindOf(a)}` };
    if ('error' in r) problems.push(`${a.filename || 'attachment'}: ${r.error}`);
  }
  return null;
}
