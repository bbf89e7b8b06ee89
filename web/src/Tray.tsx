// The system tray (auto-replies, bounces, list mail) and the outbox (admins).
import { useEffect, useState } from 'react';
import { api } from './api.ts';

type TrayItem = { id: string; kind: string; reason: string; from: string; subject: string; receivedAt: string };

export function Tray({ canAct }: { canAct: boolean }) {
  const [data, setData] = useState<{ items: TrayItem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const load = () => api('GET', '/api/v1/tray').then(setData, (e) => setError(e.message));
  useEffect(() => {
    void load();
  }, []);
  // A letter the spam check misjudged, or one mistaken for an auto-reply, goes to the queue.
  const release = async (m: TrayItem) => {
    setError(null);
    try {
      const r = await api<{ letterId: string }>('POST', `/api/v1/inbound/${m.id}/release`);
      setStatus(`Moved to the queue: “${m.subject || '(no subject)'}”.`);
      void load();
      return r;
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="tray-title">
      <h1 id="tray-title">System tray</h1>
      <p>Auto-replies, bounces, list mail and spam are kept here, out of the queue, and never answered. Mail that could not be read is quarantined here with the reason.</p>
      {error && <p role="alert" className="error">{error}</p>}
      <p role="status" className="note">{status}</p>
      {data && data.items.length === 0 && <p className="note">Nothing in the tray.</p>}
      {data && data.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">Kind</th><th scope="col">Why</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Received</th>{canAct && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
          <tbody>
            {data.items.map((m) => (
              <tr key={m.id}>
                <td>{m.kind}</td><td>{m.reason}</td><td>{m.from}</td><td>{m.subject}</td><td>{new Date(m.receivedAt).toLocaleString()}</td>
                {canAct && <td>{m.kind !== 'quarantined' && <button type="button" onClick={() => void release(m)} aria-label={`Move “${m.subject || m.from}” to the queue as a letter`}>Move to queue</button>}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Mail = { id: string; kind: string; to: { address: string; name: string | null }; subject: string; text: string; status: string; createdAt: string };

export function Outbox() {
  const [items, setItems] = useState<Mail[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: Mail[] }>('GET', '/api/v1/outbox?limit=100').then((r) => setItems(r.items), (e) => setError(e.message));
  }, []);
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">Outbox</h1>
      <p>Mail the desk sends. Without an outbound relay (SMTP_URL), mail is kept here.</p>
      {error && <p role="alert" className="error">{error}</p>}
      {items?.length === 0 && <p>No mail yet.</p>}
      <ul className="plain">
        {items?.map((m) => (
          <li key={m.id} className="card">
            <details>
              <summary>
                {new Date(m.createdAt).toLocaleString()} — {m.kind} to {m.to.name ? `${m.to.name} <${m.to.address}>` : m.to.address}: {m.subject} ({m.status})
              </summary>
              <pre className="raw">{m.text}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
