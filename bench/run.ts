// `npm run bench [names…]`: runs the benchmarks and prints one table.
// Names: intake, end-to-end, email, mail, screening, desk, insights, feeds, overload, startup (default: all).
import fs from 'node:fs';
import type { Row } from './mail.ts';

type Bench = { name: string; file: string; fn: string };
const BENCHES: Bench[] = [
  { name: 'intake', file: './intake.ts', fn: 'benchIntake' },
  { name: 'end-to-end', file: './end-to-end.ts', fn: 'benchEndToEnd' },
  { name: 'email', file: './email.ts', fn: 'benchEmail' },
  { name: 'mail', file: './mail.ts', fn: 'benchMail' },
  { name: 'screening', file: './screening.ts', fn: 'benchScreening' },
  { name: 'desk', file: './desk.ts', fn: 'benchDesk' },
  { name: 'insights', file: './insights.ts', fn: 'benchInsights' },
  { name: 'feeds', file: './feeds.ts', fn: 'benchFeeds' },
  { name: 'overload', file: './overload.ts', fn: 'benchOverload' },
  { name: 'startup', file: './startup.ts', fn: 'benchStartup' },
];

const wanted = process.argv.slice(2);
const rows: (Row & { bench: string })[] = [];
for (const b of BENCHES) {
  if (wanted.length && !wanted.includes(b.name)) continue;
  // The email bench includes the mail layer's rows; run mail alone only when asked.
  if (!wanted.length && b.name === 'mail' && fs.existsSync(new URL('./email.ts', import.meta.url))) continue;
  if (!fs.existsSync(new URL(b.file, import.meta.url))) {
    rows.push({ bench: b.name, name: '(not present)', value: NaN, unit: '' });
    continue;
  }
  process.stderr.write(`running ${b.name}…\n`);
  const mod = (await import(b.file)) as Record<string, () => Promise<Row[]>>;
  for (const r of await mod[b.fn]!()) rows.push({ bench: b.name, ...r });
}

const fmt = (v: number) => (Number.isNaN(v) ? '–' : Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', { maximumFractionDigits: 2 }));
const table = [['bench', 'measure', 'value', 'unit', 'note'], ...rows.map((r) => [r.bench, r.name, fmt(r.value), r.unit, r.note ?? ''])];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
const line = (row: string[]) => `| ${row.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
console.log(line(table[0]!));
console.log(`|${widths.map((w, i) => (i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));
