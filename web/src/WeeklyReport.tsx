// The weekly letters report (#/report?from=YYYY-MM-DD): the most-written-
// about articles by voices, each with its stance and lines of argument, and
// the campaigns set aside; downloads as Markdown and HTML.
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { go, useParams } from './router.ts';
import { plural, stancePhrase, type WeeklyReport as Data } from './insights-api.ts';
import { StanceBar, StanceKey } from './StanceBar.tsx';
import './insights.css';

export function WeeklyReport() {
  const params = useParams();
  const from = params.get('from') ?? new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    api<Data>('GET', `/api/v1/reports/weekly?from=${encodeURIComponent(from)}`).then(setData, (err: Error) => setError(err.message));
  }, [from]);
  const link = (format: string) => `/api/v1/reports/weekly?from=${encodeURIComponent(from)}&format=${format}`;
  return (
    <article className="insights" aria-labelledby="report-title">
      <h1 id="report-title">Weekly letters report</h1>
      <form className="report-week" onSubmit={(e) => { e.preventDefault(); go(`#/report?from=${String(new FormData(e.currentTarget).get('from'))}`); }}>
        <label htmlFor="report-from">Week starting</label>
        <input id="report-from" name="from" type="date" defaultValue={from} key={from} required />
        <button type="submit">Show</button>
        <a href={link('markdown')} download>Download Markdown</a> <a href={link('html')} download>Download HTML</a>
      </form>
      <p className="note" role="note">Stance and lines of argument are estimates from the letters’ words. Voices count each campaign once.</p>
      {error && <p role="alert" className="error">{error}</p>}
      {!data && !error && <p>Loading…</p>}
      {data && (
        <>
          <p>{data.from} to {data.to}: {plural(data.letters, 'letter')} from {plural(data.voices, 'voice')}.</p>
          {data.articles.length === 0 && <p>No letters this week.</p>}
          {data.articles.length > 0 && <StanceKey />}
          <ol className="themes">
            {data.articles.map((a) => (
              <li key={a.id} className="card theme">
                <h2><a href={`#/insights/${encodeURIComponent(a.id)}`}>{a.title}</a></h2>
                <p className="muted">{plural(a.letters, 'letter')} · {plural(a.voices, 'voice')}</p>
                <StanceBar stance={a.stance} label="Stance" />
                {a.themes.length > 0 && (
                  <ul>
                    {a.themes.map((t) => <li key={t.id}><strong>{t.label}</strong>: {plural(t.voices, 'voice')} ({stancePhrase(t.stance)})</li>)}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          {data.campaigns.length > 0 && (
            <section className="card" aria-labelledby="campaigns-title">
              <h2 id="campaigns-title">Campaigns set aside</h2>
              <ul>{data.campaigns.map((c) => <li key={c.id}>{plural(c.letters, 'letter')} on “{c.articleTitle}”, counted as one voice</li>)}</ul>
            </section>
          )}
        </>
      )}
    </article>
  );
}
