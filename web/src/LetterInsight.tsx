// A letter's line of argument and stance in the letter view, with the
// controls editors teach with (the `theme` and `stance` actions), and the
// way to its article's "What readers think" page. Says that both are
// estimates unless an editor set them.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from './api.ts';
import type { Insights, LetterInsight as Insight } from './insights-api.ts';

export function LetterInsight({ letterId, articleId, insight, canAct, act }: { letterId: string; articleId: string | null; insight: Insight; canAct: boolean; act: (input: { action: 'theme' | 'stance' } & Record<string, unknown>) => Promise<unknown> }) {
  const [themes, setThemes] = useState<{ id: string; label: string }[]>([]);
  useEffect(() => {
    if (!articleId) return;
    api<Insights>('GET', `/api/v1/articles/${encodeURIComponent(articleId)}/insights`).then((d) => setThemes(d.themes.map((t) => ({ id: t.id, label: t.label }))), () => {});
  }, [articleId, insight?.theme, insight?.themeName]);
  if (!articleId) return null;
  const themeLabel = insight?.themeName ?? themes.find((t) => t.id === insight?.theme)?.label ?? null;
  const listId = `themes-${letterId}`;
  return (
    <section aria-labelledby="insight-title" className="card letter-insight">
      <h2 id="insight-title">What this reader thinks</h2>
      <dl>
        <dt>Line of argument</dt>
        <dd>{themeLabel ?? 'none yet'} {themeLabel && <span className="muted">({insight?.themeSource === 'editor' ? 'filed by an editor' : 'estimated'})</span>}</dd>
        <dt>Stance</dt>
        <dd>
          {insight?.stance ?? 'not estimated yet'}{' '}
          {insight?.stance && <span className="muted">({insight.source === 'editor' ? 'set by an editor' : `estimate, ${Math.round((insight.stanceConfidence ?? 0) * 100)}% confident`})</span>}
        </dd>
      </dl>
      <p><a href={`#/insights/${encodeURIComponent(articleId)}`}>What readers think of this article</a></p>
      {canAct && (
        <div className="teach">
          <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); void act({ action: 'stance', stance: String(new FormData(e.currentTarget).get('stance')) }); }}>
            <label htmlFor="teach-stance">Set stance</label>
            <select id="teach-stance" name="stance" defaultValue={insight?.stance ?? 'agree'}>
              <option value="agree">Agrees with the article</option>
              <option value="disagree">Disagrees</option>
              <option value="mixed">Mixed</option>
            </select>
            <button type="submit">Set stance</button>
          </form>
          <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); void act({ action: 'theme', theme: String(new FormData(e.currentTarget).get('theme')) }); }}>
            <label htmlFor="teach-theme">File under a line of argument</label>
            <input id="teach-theme" name="theme" list={listId} required maxLength={120} defaultValue={themeLabel ?? ''} />
            <datalist id={listId}>{themes.map((t) => <option key={t.id} value={t.label} />)}</datalist>
            <button type="submit">File</button>
          </form>
        </div>
      )}
    </section>
  );
}
