// How the desk shows dates and links in a page (the wording is in text.ts).
import type { ReactNode } from 'react';
import { ago, formatDate } from './text.ts';

export { ago, cutAtWord, formatDate, titleAndExcerpt } from './text.ts';

/** A date as the desk shows it: the time when, and how long ago on hover and beside it. */
export function When({ iso, relativeToo = true }: { iso: string; relativeToo?: boolean }) {
  return (
    <time dateTime={iso} title={formatDate(iso)}>
      {formatDate(iso)}
      {relativeToo && <span className="muted ago">{ago(iso)}</span>}
    </time>
  );
}

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

/** Plain text with its http(s) addresses as links (the text stays text; nothing else becomes markup). */
export function Linkified({ text }: { text: string }) {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    out.push(text.slice(last, m.index));
    out.push(
      <a key={m.index} href={m[0]} target="_blank" rel="noopener noreferrer">
        {m[0]}
      </a>,
    );
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return <>{out}</>;
}
