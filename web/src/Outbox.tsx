// The outbox (admins): mail the desk sends, each named for what it is, with
// its links clickable.
import { useOutbox } from './queries.ts';
import { Linkified, When } from './format.tsx';
import type { PageProps } from './pages.tsx';

const STATUS: Record<string, string> = { pending: 'waiting to be sent', sending: 'sending', sent: 'sent', failed: 'failed', uncertain: 'uncertain (the node stopped mid-send)', kept: 'kept here (no relay)' };

export function Outbox(_: PageProps) {
  const outbox = useOutbox();
  const items = outbox.data?.items;
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">Outbox</h1>
      <p>Mail the desk sends. Without an outbound relay (SMTP_URL), mail is kept here.</p>
      {outbox.error && <p role="alert" className="error">{outbox.error.message}</p>}
      {items?.length === 0 && <p>No mail yet.</p>}
      <ul className="plain">
        {items?.map((m) => (
          <li key={m.id} className="card mail">
            <details>
              <summary>
                <strong className="mail-kind">{m.kindLabel}</strong> to {m.to.name ? `${m.to.name} <${m.to.address}>` : m.to.address}: {m.subject}
                <span className="muted"> · <When iso={m.createdAt} /> · {STATUS[m.status] ?? m.status}</span>
              </summary>
              {m.letterId && <p><a href={`#/letter/${m.letterId}`}>The letter</a></p>}
              <pre className="raw"><Linkified text={m.text} /></pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
