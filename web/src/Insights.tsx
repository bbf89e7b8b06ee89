// "What readers think" of one article (#/insights/ARTICLE): letters over
// time (an SVG drawn by the server, readable without colour, with its
// figures as a table too), by door and status, voices with campaigns
// counted once, the lines of argument with their size, stance split and
// representative sentences, and whether the published letters are fair to
// what came in. Editors rename and merge themes and may group again now.
// Reader text is only rendered as React text (escaped).
import type { PageProps } from './pages.tsx';
import { useDesk } from './desk.ts';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, statusLabel } from './api.ts';
import { campaignPhrase, plural, type Insights as Data, type Theme } from './insights-api.ts';
import { StanceBar, StanceKey } from './StanceBar.tsx';
import './insights.css';

const DOORS: Record<string, string> = { form: 'Web form', email: 'Email', api: 'API' };

export function Insights({ articleId, canAct }: { articleId: string; canAct: boolean }) {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const base = `/api/v1/articles/${encodeURIComponent(articleId)}`;

  const load = useCallback(async () => {
    try {
      setData(await api<Data>('GET', `${base}/insights`));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [base]);
  useEffect(() => void load(), [load]);

  const change = async (path: string, body: unknown, done: string) => {
    setError(null);
    setMessage(null);
    try {
      const out = await api<Data | { status: string }>('POST', `${base}${path}`, body);
      if ('themes' in out) setData(out);
      else await load();
      setMessage(done);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (error && !data) return <p role="alert" className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  const v = data.voiceCount;
  const pct = (x: number) => `${Math.round(x * 100)}%`;

  return (
    <article className="insights" aria-labelledby="insights-title">
      <p className="crumbs">
        <a href={`#/queue?article=${encodeURIComponent(articleId)}`}>← This article’s letters</a>
      </p>
      <h1 id="insights-title">What readers think: {data.article.title}</h1>
      <p className="note" role="note">{data.note} Figures count voices: a campaign of identical letters counts once.</p>
      <div aria-live="polite" className="status-line">{message}</div>
      {error && <p role="alert" className="error">{error}</p>}

      <section className="card summary" aria-labelledby="summary-title">
        <h2 id="summary-title">In short</h2>
        <dl>
          <dt>Letters</dt>
          <dd>{data.letters.toLocaleString('en')}</dd>
          <dt>Voices</dt>
          <dd>{plural(data.voices, 'voice')} ({campaignPhrase(v)})</dd>
          <dt>Stance (estimated)</dt>
          <dd><StanceBar stance={data.stance} label="Stance of all voices" /></dd>
          <dt>By door</dt>
          <dd>{Object.entries(data.byDoor).map(([k, n]) => `${DOORS[k] ?? k}: ${n}`).join(' · ') || '—'}</dd>
          <dt>By status</dt>
          <dd>{Object.entries(data.byStatus).map(([k, n]) => `${statusLabel(k)}: ${n}`).join(' · ') || '—'}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="time-title">
        <h2 id="time-title">Letters over time</h2>
        <figure className="chart">
          <img src={`${base}/insights/chart.svg?n=${data.letters}`} alt={`Letters per day by door: ${data.perDay.map((d) => `${d.day}: ${d.letters}`).join('; ') || 'none yet'}.`} width={640} height={240} />
        </figure>
        <details>
          <summary>The same figures as a table</summary>
          <table>
            <caption className="visually-hidden">Letters per day</caption>
            <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Letters</th></tr></thead>
            <tbody>{data.perDay.map((d) => <tr key={d.day}><td>{d.day}</td><td>{d.letters}</td></tr>)}</tbody>
          </table>
        </details>
      </section>

      <section aria-labelledby="themes-title">
        <h2 id="themes-title">Lines of argument</h2>
        <p className="muted">
          {data.grouping.message}
          {data.grouping.groupedAt && ` Grouped ${new Date(data.grouping.groupedAt).toLocaleString()} over ${plural(data.grouping.groupedLetters, 'letter')}; letters since are placed as they arrive.`}
          {data.grouping.queued && ' A new grouping is queued.'}
        </p>
        {canAct && <button type="button" onClick={() => change('/insights/group', {}, 'Grouped again.')}>Group again now</button>}
        {data.themes.length > 0 && <StanceKey />}
        <ol className="themes">
          {data.themes.map((t) => (
            <ThemeCard key={t.id} theme={t} others={data.themes.filter((o) => o.id !== t.id)} canAct={canAct} onChange={change} />
          ))}
        </ol>
        {data.pendingThemes.length > 0 && (
          <p className="muted">Filed by editors, grouped next time: {data.pendingThemes.map((p) => `“${p.name}” (${plural(p.letterIds.length, 'letter')})`).join(', ')}.</p>
        )}
        {data.unassigned > 0 && <p className="muted">{plural(data.unassigned, 'letter')} under no line of argument.</p>}
      </section>

      <section className="card" aria-labelledby="fair-title">
        <h2 id="fair-title">Is the page fair?</h2>
        {data.fairness.sentences.length ? (
          <ul>{data.fairness.sentences.map((s) => <li key={s}>{s}</li>)}</ul>
        ) : (
          <p>Nothing to compare yet.</p>
        )}
        {data.fairness.published > 0 && (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Published letters against voices received</caption>
              <thead><tr><th scope="col">Stance</th><th scope="col">Published</th><th scope="col">Received</th></tr></thead>
              <tbody>
                {data.fairness.stance.map((s) => (
                  <tr key={s.key}><td>{s.label}</td><td>{s.published} ({pct(s.publishedShare)})</td><td>{s.received} ({pct(s.receivedShare)})</td></tr>
                ))}
                <tr><td>First-time writers</td><td>{pct(data.fairness.firstTime.published)}</td><td>{pct(data.fairness.firstTime.received)}</td></tr>
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}

function ThemeCard({ theme: t, others, canAct, onChange }: { theme: Theme; others: Theme[]; canAct: boolean; onChange: (path: string, body: unknown, done: string) => Promise<void> }) {
  const [edit, setEdit] = useState(false);
  const id = `theme-${t.id}`;
  return (
    <li className="card theme" aria-labelledby={id}>
      <h3 id={id}>{t.label} {!t.named && <span className="badge">suggested name</span>}</h3>
      <p className="muted">{plural(t.letters, 'letter')} · {plural(t.voices, 'voice')}{t.phrases.length ? ` · words: ${t.phrases.slice(0, 5).join(', ')}` : ''}</p>
      <StanceBar stance={t.stance} label={`Stance within “${t.label}”`} />
      {t.representatives.length > 0 && (
        <ul className="reps" aria-label={`Letters that state “${t.label}” best`}>
          {t.representatives.map((r) => (
            <li key={r.letterId}>
              <blockquote>{r.excerpt}</blockquote> <a href={`#/letter/${encodeURIComponent(r.letterId)}`}>Read the letter</a>
            </li>
          ))}
        </ul>
      )}
      {canAct && !edit && <button type="button" onClick={() => setEdit(true)}>Rename or merge</button>}
      {canAct && edit && (
        <div className="theme-edit">
          <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); void onChange(`/themes/${t.id}/rename`, { name: String(new FormData(e.currentTarget).get('name')) }, 'Theme renamed.'); }}>
            <label htmlFor={`${id}-name`}>New name</label>
            <input id={`${id}-name`} name="name" defaultValue={t.named ? t.label : ''} required maxLength={120} />
            <button type="submit" className="primary">Rename</button>
          </form>
          {others.length > 0 && (
            <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); void onChange(`/themes/${t.id}/merge`, { into: String(new FormData(e.currentTarget).get('into')) }, 'Themes merged.'); }}>
              <label htmlFor={`${id}-into`}>Merge into</label>
              <select id={`${id}-into`} name="into">{others.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}</select>
              <button type="submit">Merge</button>
            </form>
          )}
          <button type="button" onClick={() => setEdit(false)}>Cancel</button>
        </div>
      )}
    </li>
  );
}

/** The page in the desk's table (#/insights/ARTICLE). */
export function InsightsPage({ params }: PageProps) {
  const { canAct } = useDesk();
  return <Insights key={params.id} articleId={params.id ?? ''} canAct={canAct} />;
}
