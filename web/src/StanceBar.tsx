// A stance split drawn as one bar, readable without colour: each part has
// its own pattern and its count written beside the bar; the bar itself is
// decoration (the words say it all).
import type { LetterInsight, StanceCounts } from './insights-api.ts';
import { stancePhrase } from './insights-api.ts';

export function StanceBar({ stance, label }: { stance: StanceCounts; label: string }) {
  const n = stance.agree + stance.disagree + stance.mixed;
  return (
    <div className="stance">
      <span className="stance-words"><span className="visually-hidden">{label}: </span>{stancePhrase(stance)} <span className="muted">({stance.agree}/{stance.disagree}/{stance.mixed})</span></span>
      {n > 0 && (
        <span className="stance-bar" aria-hidden="true">
          {(['agree', 'disagree', 'mixed'] as const).map((k) => (stance[k] ? <span key={k} className={`part ${k}`} style={{ flexGrow: stance[k] }} /> : null))}
        </span>
      )}
    </div>
  );
}

export function StanceKey() {
  return (
    <p className="stance-key muted" aria-hidden="true">
      <span><span className="swatch agree" /> agree</span> <span><span className="swatch disagree" /> disagree</span> <span><span className="swatch mixed" /> mixed</span>
    </p>
  );
}

/** A letter's stance in the queue: "Stance: agrees (estimate)" or "(editor)". */
export function StanceTag({ insight }: { insight: LetterInsight }) {
  if (!insight?.stance) return null;
  const words = { agree: 'agrees', disagree: 'disagrees', mixed: 'mixed' }[insight.stance];
  return (
    <div className="muted stance-tag">
      Stance: {words} ({insight.source === 'editor' ? 'editor' : `estimate, ${Math.round((insight.stanceConfidence ?? 0) * 100)}%`})
    </div>
  );
}
