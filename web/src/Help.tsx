// The keyboard shortcuts, listed on "?".
import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next letter'],
  ['k', 'Previous letter'],
  ['Enter', 'Open the selected letter (queue)'],
  ['s', 'Shortlist'],
  ['d', 'Decline (opens the reply)'],
  ['x', 'Mark as spam'],
  ['/', 'Search'],
  ['?', 'Show or hide this list'],
  ['Esc', 'Close / leave a field'],
];
export const SHORTCUT_KEYS = ['j', 'k', 's', 'd', 'x', 'Enter'];

export function Help({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => d.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="help-title" onClose={onClose} className="help">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
