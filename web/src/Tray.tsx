// The system tray: auto-replies, bounces, list mail, spam and quarantined
// mail, kept out of the queue. Each item opens to the mail itself: why it is
// here, its text, headers and attachments, and (for editors) a way to move
// a misjudged letter into the queue.
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, type TrayItemView } from './api.ts';
import { keys, lettersChanged, useTray, useTrayItem, useWaitingMail } from './queries.ts';
import { ago } from './text.ts';
import { useDesk } from './desk.ts';
import { go } from './router.ts';
import { Linkified, When } from './format.tsx';
import type { PageProps } from './pages.tsx';

const KIND_LABELS: Record<string, string> = {
  autoreply: 'Auto-reply',
  bounce: 'Bounce',
  list: 'List mail',
  spam: 'Spam',
  quarantined: 'Quarantined',
  unknown: 'Other',
  letter: 'Letter',
};
const kindLabel = (k: string | null) => (k ? (KIND_LABELS[k] ?? k) : 'Other');

/** A letter the spam check misjudged, or one mistaken for an auto-reply, goes to the queue. */
function useRelease(onDone: (message: string, letterId: string) => void) {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const release = async (id: string, subject: string) => {
    setError(null);
    try {
      const r = await api<{ letterId: string }>('POST', `/api/v1/inbound/${encodeURIComponent(id)}/release`);
      onDone(`Moved to the queue: “${subject || '(no subject)'}”.`, r.letterId);
      await Promise.all([qc.invalidateQueries({ queryKey: keys.tray }), lettersChanged()]);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { release, error };
}

/**
 * Mail taken by SMTP that the desk has not read yet: an editor looking for a
 * letter just sent learns it is on its way. When the last of it has been
 * read, the tray's list is read again once (what was read may be here now).
 */
function Waiting() {
  const qc = useQueryClient();
  const { data, dataUpdatedAt } = useWaitingMail();
  const had = useRef(0);
  useEffect(() => {
    if (had.current && data?.count === 0) void qc.invalidateQueries({ queryKey: keys.tray, exact: true });
    had.current = data?.count ?? 0;
  }, [data?.count, qc]);
  if (!data?.count) return null;
  const one = data.count === 1 && !data.more;
  // Since when, as of the last answer (asked every 5 s: each answer renders again), so that it does not stand still while the mail does.
  const came = data.oldestAt ? ago(data.oldestAt, dataUpdatedAt) : null;
  if (one) return <p className="note waiting">1 message received by email is waiting to be read{came && ` (it came ${came})`}. It joins the queue, or this tray, once it is read.</p>;
  const n = `${data.more ? 'More than ' : ''}${data.count.toLocaleString('en')}`;
  return <p className="note waiting">{n} messages received by email are waiting to be read{came && ` (the oldest came ${came})`}. Each joins the queue, or this tray, once it is read.</p>;
}

export function Tray(_: PageProps) {
  const { canAct } = useDesk();
  const tray = useTray();
  const [status, setStatus] = useState<string | null>(null);
  const { release, error } = useRelease((m) => setStatus(m));
  const items = tray.data?.items;
  return (
    <section aria-labelledby="tray-title">
      <h1 id="tray-title">System tray</h1>
      <p>Auto-replies, bounces, list mail and spam are kept here, out of the queue, and never answered. Mail that could not be read is quarantined here with the reason.</p>
      <Waiting />
      {(error || tray.error) && <p role="alert" className="error">{error ?? tray.error?.message}</p>}
      <p role="status" className="status-line">{status}</p>
      {items?.length === 0 && <p className="note">Nothing in the tray.</p>}
      {!!items?.length && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tray-title">
          <table className="tray">
            <thead><tr><th scope="col">Mail</th><th scope="col">Why it is here</th><th scope="col">Received</th>{canAct && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {items.map((m: TrayItemView) => (
                <tr key={m.id}>
                  <td>
                    <a href={`#/tray/${m.id}`}>{m.subject || '(no subject)'}</a>
                    <div className="muted">{kindLabel(m.kind)} · from {m.from || 'unknown sender'}</div>
                  </td>
                  <td>{m.reason}</td>
                  <td><When iso={m.receivedAt} /></td>
                  {canAct && <td>{m.kind !== 'quarantined' && <button type="button" onClick={() => void release(m.id, m.subject)}>Move to queue<span className="visually-hidden"> as a letter: “{m.subject || m.from}”</span></button>}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function TrayItemPage({ params }: PageProps) {
  const id = params.id!;
  const { canAct } = useDesk();
  const item = useTrayItem(id);
  const { release, error } = useRelease((_, letterId) => go(`/letter/${letterId}`));
  const m = item.data;
  if (item.error) return <p role="alert" className="error">{item.error.message}</p>;
  if (!m) return <p>Loading…</p>;
  const from = m.from.name ? `${m.from.name} <${m.from.address ?? ''}>` : (m.from.address ?? m.envelope.mailFrom ?? 'unknown sender');
  const why = m.quarantineReason ?? m.reason;
  return (
    <article aria-labelledby="mail-title" className="tray-item">
      <p className="crumbs"><a href="#/tray">← System tray</a></p>
      <h1 id="mail-title">{m.subject || '(no subject)'} <span className="badge">{kindLabel(m.status === 'quarantined' ? 'quarantined' : m.kind)}</span></h1>
      <p className="reason card"><strong>Why it is here:</strong> {why ?? 'no reason recorded'}</p>
      {error && <p role="alert" className="error">{error}</p>}
      {canAct && m.status === 'tray' && (
        <p><button type="button" className="primary" onClick={() => void release(m.id, m.subject ?? '')}>This is a letter: move it to the queue</button></p>
      )}
      <dl className="card">
        <dt>From</dt>
        <dd>{from}</dd>
        <dt>To</dt>
        <dd>{m.envelope.rcptTo.join(', ') || '—'}</dd>
        <dt>Received</dt>
        <dd><When iso={m.receivedAt} /></dd>
        <dt>Authentication</dt>
        <dd>{(['spf', 'dkim', 'dmarc'] as const).map((k) => `${k.toUpperCase()} ${m.auth[k] ?? 'not checked'}`).join(' · ')}</dd>
        {m.spamScore !== null && (
          <>
            <dt>Spam score</dt>
            <dd>{m.spamScore.toFixed(2)}</dd>
          </>
        )}
        <dt>Size</dt>
        <dd>{Math.ceil(m.size / 1024)} KB · <a href={m.rawUrl} download>Download the raw mail</a></dd>
      </dl>
      <section className="card" aria-labelledby="mail-text-title">
        <h2 id="mail-text-title">Text{m.textFromHtml ? ' (from the HTML part)' : ''}</h2>
        {m.unreadable ? <p className="error">The mail could not be read: {m.unreadable}</p> : <div className="letter-text">{m.text ? <Linkified text={m.text} /> : '(no text)'}</div>}
      </section>
      <section className="card" aria-labelledby="mail-att-title">
        <h2 id="mail-att-title">Attachments</h2>
        {m.attachments.length ? (
          <ul className="plain">
            {m.attachments.map((a) => (
              <li key={a.n}>
                <a href={a.url} download>{a.filename || `attachment ${a.n + 1}`}</a> <span className="muted">({a.contentType}, {Math.ceil(a.size / 1024)} KB)</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>None.</p>
        )}
      </section>
      <details className="card">
        <summary>Headers ({m.headers.length})</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Headers">
          <table className="headers">
            <tbody>
              {m.headers.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{h.name}</th>
                  <td>{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </article>
  );
}
