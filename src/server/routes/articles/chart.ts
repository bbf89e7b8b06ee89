// Letters over time as an SVG drawn on the server: one bar per UTC day,
// stacked by door. Readable without colour: each door has its own fill
// pattern (solid, hatched, dotted) as well as its shade, the legend says
// which is which, every bar carries its total as a number, and the picture
// has a title and a description that state the figures in words. Text in
// it goes through the escaping `html` template.
import { html, type SafeHtml } from '../../../util/html.ts';

const DOORS = [
  { key: 'form', label: 'Web form', fill: 'url(#p-form)' },
  { key: 'email', label: 'Email', fill: 'url(#p-email)' },
  { key: 'api', label: 'API', fill: 'url(#p-api)' },
] as const;
const MAX_DAYS = 60;
const DAY = 86_400_000;

export function lettersChartSvg(title: string, perDayByDoor: { day: string; door: string; letters: number }[]): string {
  const byDay = new Map<string, Record<string, number>>();
  for (const r of perDayByDoor) {
    const d = byDay.get(r.day) ?? {};
    d[r.door] = (d[r.door] ?? 0) + r.letters;
    byDay.set(r.day, d);
  }
  const known = [...byDay.keys()].sort();
  // Every day from the first letter to the last (the last 60 at most), quiet days included.
  const days: string[] = [];
  if (known.length) {
    const last = Date.parse(`${known.at(-1)}T00:00:00Z`);
    const first = Math.max(Date.parse(`${known[0]}T00:00:00Z`), last - (MAX_DAYS - 1) * DAY);
    for (let t = first; t <= last; t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  }
  const totals = days.map((d) => Object.values(byDay.get(d) ?? {}).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const W = 640;
  const H = 240;
  const left = 40;
  const top = 28;
  const plotH = 150;
  const plotW = W - left - 10;
  const slot = days.length ? plotW / days.length : plotW;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const y = (n: number) => top + plotH - (n / max) * plotH;
  const all = totals.reduce((a, b) => a + b, 0);
  const busiest = days.length ? days[totals.indexOf(Math.max(...totals))] : null;
  const desc = days.length
    ? `${all} letters over ${days.length} ${days.length === 1 ? 'day' : 'days'}, from ${days[0]} to ${days.at(-1)}; the busiest day was ${busiest} with ${max}. ` +
      DOORS.map((d) => `${d.label}: ${days.reduce((a, day) => a + (byDay.get(day)?.[d.key] ?? 0), 0)}`).join(', ') +
      '.'
    : 'No letters yet.';
  const bars: SafeHtml[] = [];
  days.forEach((day, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let acc = 0;
    for (const d of DOORS) {
      const n = byDay.get(day)?.[d.key] ?? 0;
      if (!n) continue;
      bars.push(html`<rect x="${x.toFixed(1)}" y="${y(acc + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${((n / max) * plotH).toFixed(1)}" fill="${d.fill}" stroke="#1a1a1a" stroke-width="0.75"><title>${day}: ${n} by ${d.label.toLowerCase()}</title></rect>`);
      acc += n;
    }
    if (totals[i]! > 0 && slot >= 14) bars.push(html`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(totals[i]!) - 4).toFixed(1)}" text-anchor="middle" font-size="11">${totals[i]}</text>`);
  });
  const labels = days.length ? [0, Math.floor((days.length - 1) / 2), days.length - 1].filter((v, i, a) => a.indexOf(v) === i) : [];
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="chart-title chart-desc" font-family="system-ui, sans-serif">
<title id="chart-title">Letters per day about ${title}, by door</title>
<desc id="chart-desc">${desc}</desc>
<defs>
<pattern id="p-form" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#1f4e79"/></pattern>
<pattern id="p-email" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="#5a5a5a"/></pattern>
<pattern id="p-api" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.6" fill="#1a1a1a"/></pattern>
</defs>
<rect width="${W}" height="${H}" fill="#ffffff"/>
<line x1="${left}" y1="${top + plotH}" x2="${W - 10}" y2="${top + plotH}" stroke="#1a1a1a"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#1a1a1a"/>
<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="11">${max}</text>
<text x="${left - 6}" y="${top + plotH}" text-anchor="end" font-size="11">0</text>
${bars}
${labels.map((i) => html`<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" font-size="11">${days[i]!.slice(5)}</text>`)}
${days.length ? '' : html`<text x="${W / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="14">No letters yet</text>`}
${DOORS.map((d, i) => html`<g transform="translate(${left + i * 150}, ${H - 22})"><rect width="16" height="12" fill="${d.fill}" stroke="#1a1a1a"/><text x="22" y="11" font-size="12">${d.label}</text></g>`)}
</svg>`.value;
}
