// The weekly letters report, the tally letters editors make by hand: for the
// seven days from `from`, the most-written-about articles with their voices
// (each campaign counted once), stance and lines of argument, and the
// campaigns set aside, as data, Markdown and HTML.
import type { Db } from '../db/connect.ts';
import { lettersPerArticle, periodLetterInsights, storedThemesOf } from '../db/repositories/insights.ts';
import { voiceCount, type StanceCounts, type ThemeSet } from '../insights/index.ts';
import { html } from '../util/html.ts';
import { stanceOverVoices } from './view.ts';

const TOP_ARTICLES = 10;
const DAY = 86_400_000;

export type WeeklyReport = Awaited<ReturnType<typeof weeklyReport>>;

/** The seven days from `from`, as the report names them (first and last day). */
export function reportPeriod(from: Date): { from: string; to: string } {
  return { from: from.toISOString().slice(0, 10), to: new Date(from.getTime() + 6 * DAY).toISOString().slice(0, 10) };
}

export async function weeklyReport(db: Db, from: Date) {
  const to = new Date(from.getTime() + 7 * DAY);
  const perArticle = await lettersPerArticle(db, from, to);
  const letters = await periodLetterInsights(db, perArticle.map((a) => a.articleId), from, to);
  const byArticle = new Map<string, typeof letters>();
  for (const l of letters) byArticle.set(l.articleId, [...(byArticle.get(l.articleId) ?? []), l]);
  const all = voiceCount(letters);
  // Most written about by voices, not by copies of a form letter.
  const ranked = perArticle
    .map((a) => ({ ...a, voices: voiceCount(byArticle.get(a.articleId) ?? []).voices }))
    .sort((a, b) => b.voices - a.voices || b.letters - a.letters || (a.articleId < b.articleId ? -1 : 1))
    .slice(0, TOP_ARTICLES);
  const sets = await storedThemesOf<ThemeSet>(db, ranked.map((a) => a.articleId));
  const titles = new Map(perArticle.map((a) => [a.articleId, a.title]));
  const campaigns = new Map<string, { id: string; articleId: string; letters: number }>();
  for (const l of letters) {
    if (!l.campaignId) continue;
    const c = campaigns.get(l.campaignId) ?? { id: l.campaignId, articleId: l.articleId, letters: 0 };
    c.letters++;
    campaigns.set(l.campaignId, c);
  }
  return {
    ...reportPeriod(from),
    letters: all.letters,
    voices: all.voices,
    articles: ranked.map((a) => {
      const ls = byArticle.get(a.articleId) ?? [];
      const labels = new Map((sets.get(a.articleId)?.themes ?? []).map((t) => [t.id, t.label]));
      const byTheme = new Map<string, typeof ls>();
      for (const l of ls) if (l.themeId && labels.has(l.themeId)) byTheme.set(l.themeId, [...(byTheme.get(l.themeId) ?? []), l]);
      return {
        id: a.articleId,
        title: a.title,
        letters: a.letters,
        voices: a.voices,
        stance: stanceOverVoices(ls),
        themes: [...byTheme]
          .map(([id, m]) => ({ id, label: labels.get(id)!, letters: m.length, voices: voiceCount(m).voices, stance: stanceOverVoices(m) }))
          .sort((x, y) => y.voices - x.voices || y.letters - x.letters),
      };
    }),
    campaigns: [...campaigns.values()].sort((a, b) => b.letters - a.letters).map((c) => ({ ...c, articleTitle: titles.get(c.articleId) ?? '' })),
  };
}

const split = (s: StanceCounts) => {
  const n = s.agree + s.disagree + s.mixed;
  if (!n) return 'no stance yet';
  const p = (x: number) => `${Math.round((x / n) * 100)}%`;
  return `${p(s.agree)} agree, ${p(s.disagree)} disagree, ${p(s.mixed)} mixed`;
};
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function md(s: string): string {
  return s.replace(/[<>\\`*_{}\[\]()#+\-.!|~&=]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

export function reportTitle(r: { from: string; to: string }, publication: string): string {
  return `${publication}: what readers wrote, ${r.from} to ${r.to}`;
}

export function reportMarkdown(r: WeeklyReport, publication: string): string {
  const out = [`# ${md(reportTitle(r, publication))}`, '', `${plural(r.letters, 'letter')} from ${plural(r.voices, 'voice')} (each campaign counted once).`, ''];
  r.articles.forEach((a, i) => {
    out.push(`## ${i + 1}. ${md(a.title)}`, '', `${plural(a.letters, 'letter')}, ${plural(a.voices, 'voice')}; ${split(a.stance)} (estimated).`, '');
    for (const t of a.themes) out.push(`- **${md(t.label)}**: ${plural(t.voices, 'voice')}; ${split(t.stance)}`);
    if (a.themes.length) out.push('');
  });
  if (r.campaigns.length) {
    out.push('## Campaigns set aside', '');
    for (const c of r.campaigns) out.push(`- ${plural(c.letters, 'letter')} on ${md(c.articleTitle)}, counted as one voice`);
    out.push('');
  }
  if (!r.articles.length) out.push('No letters this week.', '');
  return out.join('\n');
}

/** Plain text, for mail: the same content as the Markdown, without its markup. */
export function reportText(r: WeeklyReport, publication: string, deskUrl: string): string {
  const out = [reportTitle(r, publication), '', `${plural(r.letters, 'letter')} from ${plural(r.voices, 'voice')} (each campaign counted once).`, ''];
  r.articles.forEach((a, i) => {
    out.push(`${i + 1}. ${a.title}`, `   ${plural(a.letters, 'letter')}, ${plural(a.voices, 'voice')}; ${split(a.stance)} (estimated).`);
    for (const t of a.themes) out.push(`   - ${t.label}: ${plural(t.voices, 'voice')}; ${split(t.stance)}`);
    out.push('');
  });
  if (r.campaigns.length) {
    out.push('Campaigns set aside:');
    for (const c of r.campaigns) out.push(`- ${plural(c.letters, 'letter')} on ${c.articleTitle}, counted as one voice`);
    out.push('');
  }
  if (!r.articles.length) out.push('No letters this week.', '');
  out.push(`The report in the desk, with downloads: ${deskUrl}#/report?from=${r.from}`);
  return out.join('\n');
}

export function reportHtml(r: WeeklyReport, publication: string): string {
  const title = reportTitle(r, publication);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<p>${plural(r.letters, 'letter')} from ${plural(r.voices, 'voice')} (each campaign counted once).</p>
${r.articles.map(
  (a, i) => html`<section>
<h2>${i + 1}. ${a.title}</h2>
<p>${plural(a.letters, 'letter')}, ${plural(a.voices, 'voice')}; ${split(a.stance)} (estimated).</p>
${a.themes.length ? html`<ul>${a.themes.map((t) => html`<li><strong>${t.label}</strong>: ${plural(t.voices, 'voice')}; ${split(t.stance)}</li>`)}</ul>` : ''}
</section>`,
)}
${r.campaigns.length ? html`<section><h2>Campaigns set aside</h2><ul>${r.campaigns.map((c) => html`<li>${plural(c.letters, 'letter')} on ${c.articleTitle}, counted as one voice</li>`)}</ul></section>` : ''}
${r.articles.length ? '' : html`<p>No letters this week.</p>`}
</body></html>
`.value;
}
