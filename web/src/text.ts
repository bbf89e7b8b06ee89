// How the desk words dates and cuts text: dates in the editor's own locale and
// time zone (the browser's), to the minute, with how long ago. Plain
// functions (no JSX), so tests can use them too.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

export function formatDate(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "5 minutes ago", "yesterday", "in 2 days". */
export function ago(iso: string, now = Date.now()): string {
  const s = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) if (Math.abs(s) >= size) return relative.format(Math.round(s / size), unit);
  return 'just now';
}

/** Text cut to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function cutAtWord(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max + 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > max * 0.5 ? cut.slice(0, at) : t.slice(0, max)).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/**
 * A queue row's title and excerpt: the subject (or the letter's opening when
 * it has none), and the text after it, so the opening is not shown twice.
 */
export function titleAndExcerpt(subject: string | null, excerpt: string, max = 90): { title: string; rest: string } {
  const text = excerpt.replace(/\s*…$/, '').replace(/\s+/g, ' ').trim();
  if (subject?.trim()) {
    const s = subject.replace(/\s+/g, ' ').trim();
    // Many writers repeat their subject as the first line.
    const rest = text.toLowerCase().startsWith(s.toLowerCase()) ? text.slice(s.length).replace(/^[\s,.:;–—-]+/, '') : text;
    return { title: cutAtWord(s, max), rest: cutAtWord(rest, 200) };
  }
  const title = cutAtWord(text, max);
  const shown = title.replace(/…$/, '');
  return { title: title || '(no text)', rest: cutAtWord(text.slice(shown.length).replace(/^[\s,.:;–—-]+/, ''), 200) };
}

