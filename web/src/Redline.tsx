// The edited text against the writer's own: deletions struck through,
// insertions underlined. Text only; React escapes every piece.
import { diffWords } from 'diff';

export function Redline({ from, to }: { from: string; to: string }) {
  const parts = diffWords(from, to);
  return (
    <div className="redline letter-text" aria-label="Changes to the writer's text">
      {parts.map((p, i) =>
        p.added ? (
          <ins key={i}>{p.value}</ins>
        ) : p.removed ? (
          <del key={i}>{p.value}</del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </div>
  );
}
