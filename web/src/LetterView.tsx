// One letter: the writer's text beside the original, the article and match,
// flags and scores, the writer (details, verification, earlier letters),
// history and notes, and every action. Reader text is only ever rendered as
// React text nodes (escaped), never as markup.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, statusLabel, type LetterDetail } from './api.ts';
import { go } from './route.ts';
import { Redline } from './Redline.tsx';
import { Flags } from './Queue.tsx';
import type { ShortcutHandler } from './App.tsx';
import { LetterInsight } from './LetterInsight.tsx';
import type { LetterInsight as Insight } from './insights-api.ts';

type Context = {
  article: { id: string; title: string; url: string } | null;
  writer: { id: string; email: string; name: string; town: string | null; phone: string | null; postalAddress: string | null; verifiedAt: string | null; verifiedBy: string | null; verifiedHow: string | null } | null;
  earlierLetters: { id: string; status: string; article: string | null; subject: string | null; createdAt: string }[];
  raw: string | null;
};

type Panel = null | 'decline' | 'edit' | 'schedule' | 'verify' | 'assign_article';

export function LetterView({ id, me, canAct, queueIds, setHandler }: { id: string; me: string; canAct: boolean; queueIds: string[]; setHandler: (h: ShortcutHandler | null) => void }) {
  const [letter, setLetter] = useState<LetterDetail | null>(null);
  const [context, setContext] = useState<Context | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(location.hash.includes('decline=1') ? 'decline' : null);
  const [template, setTemplate] = useState('');

  const load = useCallback(async () => {
    try {
      const [l, c] = await Promise.all([api<LetterDetail>('GET', `/api/v1/letters/${encodeURIComponent(id)}`), api<Context>('GET', `/api/v1/letters/${encodeURIComponent(id)}/context`)]);
      setLetter(l);
      setContext(c);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    api<{ policies: { declineTemplate: string } }>('GET', '/api/v1/settings').then((s) => setTemplate(s.policies.declineTemplate), () => {});
  }, []);

  const act = async (input: Record<string, unknown>) => {
    setError(null);
    setMessage(null);
    try {
      const l = await api<LetterDetail>('POST', `/api/v1/letters/${encodeURIComponent(id)}/actions`, input);
      setLetter(l);
      setPanel(null);
      setMessage(`Done: ${String(input.action).replace(/_/g, ' ')}. The letter is now ${statusLabel(l.status).toLowerCase()}.`);
      if (input.action === 'verify') setContext(await api<Context>('GET', `/api/v1/letters/${encodeURIComponent(id)}/context`));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const index = queueIds.indexOf(id);
  useEffect(() => {
    setHandler((key) => {
      if (key === 'j' && index >= 0 && index < queueIds.length - 1) return go(`#/letter/${queueIds[index + 1]}`), true;
      if (key === 'k' && index > 0) return go(`#/letter/${queueIds[index - 1]}`), true;
      if (!canAct) return false;
      if (key === 's') return void act({ action: 'shortlist' }), true;
      if (key === 'x') return void act({ action: 'spam' }), true;
      if (key === 'd') return setPanel('decline'), true;
      return false;
    });
    return () => setHandler(null);
  });

  if (error && !letter) return <p role="alert" className="error">{error}</p>;
  if (!letter) return <p>Loading…</p>;
  const fill = (t: string) => t.replaceAll('{name}', letter.writer.name).replaceAll('{title}', context?.article?.title ?? 'our article');
  const current = letter.editedBody ?? letter.body;

  return (
    <article aria-labelledby="letter-title" className="letter">
      <p className="crumbs">
        <a href="#/queue">← Queue</a>
        {index >= 0 && <span className="muted"> · letter {index + 1} of {queueIds.length} (j/k)</span>}
      </p>
      <h1 id="letter-title">
        {letter.subject || `Letter from ${letter.writer.name}`} <span className={`badge s-${letter.status}`}>{statusLabel(letter.status)}</span>
      </h1>
      <p className="muted">
        From <strong>{letter.writer.name}</strong>
        {letter.writer.town ? `, ${letter.writer.town}` : ''} · {letter.source} · received <time dateTime={letter.createdAt}>{new Date(letter.createdAt).toLocaleString()}</time> · {letter.wordCount} words
      </p>

      {canAct ? (
        <div className="actions" role="group" aria-label="Actions">
          <button type="button" onClick={() => act({ action: 'shortlist' })}>Shortlist <kbd>s</kbd></button>
          <button type="button" onClick={() => setPanel('decline')}>Decline <kbd>d</kbd></button>
          <button type="button" onClick={() => act({ action: 'spam' })}>Spam <kbd>x</kbd></button>
          {letter.status === 'spam' && <button type="button" onClick={() => act({ action: 'not_spam' })}>Not spam</button>}
          <button type="button" onClick={() => setPanel('edit')}>Edit</button>
          <button type="button" onClick={() => act({ action: 'request_approval' })}>Request approval</button>
          <button type="button" onClick={() => setPanel('schedule')}>Schedule</button>
          <button type="button" className="primary" onClick={() => act({ action: 'publish' })}>Publish</button>
          <button type="button" onClick={() => act({ action: 'withdraw' })}>Withdraw</button>
          <button type="button" onClick={() => setPanel('assign_article')}>Reassign article</button>
          <button type="button" onClick={() => act({ action: 'assign', editor: letter.assignedTo ? null : me })}>{letter.assignedTo ? 'Unassign' : 'Assign to me'}</button>
          <button type="button" onClick={() => setPanel('verify')}>Verify writer</button>
        </div>
      ) : (
        <p className="note" role="note">You have read-only access (viewer): you can read letters but not change them.</p>
      )}
      <div aria-live="polite" className="status-line">{message}</div>
      {error && <p role="alert" className="error">{error}</p>}

      {panel === 'decline' && canAct && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = new FormData(e.currentTarget); act({ action: 'decline', ...(f.get('send') ? { reply: String(f.get('reply')) } : {}) }); }}>
          <h2>Decline</h2>
          <label htmlFor="decline-reply">Reply to the writer (from the template; edit as you like)</label>
          <textarea id="decline-reply" name="reply" rows={7} defaultValue={fill(template)} />
          <label className="check"><input type="checkbox" name="send" defaultChecked /> Send this reply</label>
          <button type="submit" className="primary">Decline</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}
      {panel === 'edit' && canAct && <EditPanel letter={letter} onSave={act} onCancel={() => setPanel(null)} />}
      {panel === 'schedule' && canAct && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const v = String(new FormData(e.currentTarget).get('at')); act({ action: 'schedule', at: new Date(v).toISOString() }); }}>
          <h2>Schedule</h2>
          <label htmlFor="schedule-at">Publish at</label>
          <input id="schedule-at" name="at" type="datetime-local" required />
          <button type="submit" className="primary">Schedule</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}
      {panel === 'assign_article' && canAct && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); act({ action: 'assign_article', article: String(new FormData(e.currentTarget).get('article')) }); }}>
          <h2>Reassign to another article</h2>
          <label htmlFor="article-id">Article id</label>
          <input id="article-id" name="article" required defaultValue={letter.article.id ?? ''} />
          <button type="submit" className="primary">Reassign</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}
      {panel === 'verify' && canAct && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = new FormData(e.currentTarget); act({ action: 'verify', how: f.get('how'), phone: String(f.get('phone') ?? ''), postalAddress: String(f.get('postal') ?? ''), ...(f.get('vnote') ? { note: String(f.get('vnote')) } : {}) }); }}>
          <h2>Verify the writer</h2>
          <label htmlFor="verify-how">How</label>
          <select id="verify-how" name="how" defaultValue="phone">
            <option value="phone">Phone call</option>
            <option value="email">Email reply</option>
            <option value="in_person">In person</option>
            <option value="other">Other</option>
          </select>
          <label htmlFor="verify-phone">Phone</label>
          <input id="verify-phone" name="phone" type="tel" defaultValue={context?.writer?.phone ?? ''} />
          <label htmlFor="verify-postal">Postal address</label>
          <textarea id="verify-postal" name="postal" rows={2} defaultValue={context?.writer?.postalAddress ?? ''} />
          <label htmlFor="verify-note">Note</label>
          <input id="verify-note" name="vnote" />
          <button type="submit" className="primary">Record verification</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}

      <LetterInsight letterId={letter.id} articleId={letter.article.id} insight={(letter as { insight?: Insight }).insight ?? null} canAct={canAct} act={act} />

      <div className="columns">
        <section aria-labelledby="text-title" className="card">
          <h2 id="text-title">{letter.editedBody ? 'Edited text (changes against the writer’s text)' : 'The writer’s text'}</h2>
          {letter.headline && <p><strong>Headline:</strong> {letter.headline}</p>}
          {letter.editedBody ? <Redline from={letter.body} to={current} /> : <div className="letter-text">{letter.body}</div>}
        </section>
        <section aria-labelledby="original-title" className="card">
          <h2 id="original-title">Original</h2>
          <div className="letter-text original">{letter.original}</div>
          {context?.raw && (
            <details>
              <summary>Raw mail</summary>
              <pre className="raw">{context.raw}</pre>
            </details>
          )}
        </section>
      </div>

      <div className="columns three">
        <section aria-labelledby="about-title" className="card">
          <h2 id="about-title">Article and screening</h2>
          <dl>
            <dt>Article</dt>
            <dd>{context?.article ? context.article.title : 'Not matched to an article'}</dd>
            <dt>Match</dt>
            <dd>{letter.article.method ?? '—'}{letter.article.confidence !== null ? ` (confidence ${Math.round(letter.article.confidence * 100)}%)` : ''}</dd>
            {!letter.article.id && !!letter.article.candidates?.length && (
              <>
                <dt>Likely articles</dt>
                <dd>
                  <ul className="candidates">
                    {letter.article.candidates.map((c) => (
                      <li key={c.articleId}>
                        {c.title ?? c.articleId} ({c.method}, {Math.round(c.confidence * 100)}%){' '}
                        {canAct && <button type="button" onClick={() => act({ action: 'assign_article', article: c.articleId })}>Assign</button>}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            <dt>Spam score</dt>
            <dd>{letter.screening.spamScore === null ? 'not scored yet' : letter.screening.spamScore.toFixed(2)}{letter.screening.spamReasons.length ? ` — ${letter.screening.spamReasons.join(', ')}` : ''}</dd>
            {letter.screening.campaign && (
              <>
                <dt>Campaign</dt>
                <dd>
                  Part of campaign {letter.screening.campaign === letter.id ? '(this letter was the first)' : <a href={`#/letter/${letter.screening.campaign}`}>started by this letter</a>}
                  {letter.screening.similarTo?.length ? `; closest: ${letter.screening.similarTo.slice(0, 3).map((s) => `${Math.round(s.similarity * 100)}%`).join(', ')}` : ''}
                </dd>
              </>
            )}
            <dt>Flags</dt>
            <dd>{letter.screening.flags.length || letter.screening.campaign ? <Flags flags={letter.screening.flags} spam={null} campaign={letter.screening.campaign} /> : 'none'}</dd>
            <dt>Assigned to</dt>
            <dd>{letter.assignedTo ?? 'nobody'}</dd>
          </dl>
        </section>
        <section aria-labelledby="writer-title" className="card">
          <h2 id="writer-title">Writer</h2>
          {context?.writer && (
            <dl>
              <dt>Email</dt>
              <dd>{context.writer.email}</dd>
              <dt>Phone</dt>
              <dd>{context.writer.phone ?? '—'}</dd>
              <dt>Address</dt>
              <dd className="pre">{context.writer.postalAddress ?? '—'}</dd>
              <dt>Verified</dt>
              <dd>{context.writer.verifiedAt ? `${context.writer.verifiedHow} by ${context.writer.verifiedBy}, ${new Date(context.writer.verifiedAt).toLocaleString()}` : 'not yet'}</dd>
            </dl>
          )}
          <h3>Earlier letters</h3>
          {context?.earlierLetters.length ? (
            <ul className="plain">
              {context.earlierLetters.map((l) => (
                <li key={l.id}>
                  <a href={`#/letter/${l.id}`}>{new Date(l.createdAt).toLocaleDateString()} — {l.subject || l.article || 'letter'}</a> ({statusLabel(l.status)})
                </li>
              ))}
            </ul>
          ) : (
            <p>None.</p>
          )}
        </section>
        <section aria-labelledby="history-title" className="card">
          <h2 id="history-title">History and notes</h2>
          <ol className="history">
            {letter.history.map((h, i) => (
              <li key={i}>
                <time dateTime={h.at}>{new Date(h.at).toLocaleString()}</time> — <strong>{h.action.replace(/_/g, ' ')}</strong> by {h.actor}
                {typeof h.data.text === 'string' && <div className="note-text">{h.data.text}</div>}
                {typeof h.data.reason === 'string' && <div className="note-text">{h.data.reason}</div>}
              </li>
            ))}
          </ol>
          {canAct && (
            <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = e.currentTarget; act({ action: 'note', text: String(new FormData(f).get('note')) }).then(() => f.reset()); }}>
              <label htmlFor="note">Add a note</label>
              <textarea id="note" name="note" rows={2} required />
              <button type="submit">Add note</button>
            </form>
          )}
        </section>
      </div>
    </article>
  );
}

function EditPanel({ letter, onSave, onCancel }: { letter: LetterDetail; onSave: (i: Record<string, unknown>) => Promise<void>; onCancel: () => void }) {
  const [text, setText] = useState(letter.editedBody ?? letter.body);
  const [headline, setHeadline] = useState(letter.headline ?? '');
  return (
    <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); onSave({ action: 'edit', body: text, headline }); }}>
      <h2>Edit</h2>
      <label htmlFor="edit-headline">Headline</label>
      <input id="edit-headline" value={headline} onChange={(e) => setHeadline(e.target.value)} />
      <div className="columns">
        <div>
          <label htmlFor="edit-body">Edited text</label>
          <textarea id="edit-body" rows={14} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div>
          <p className="label" id="redline-label">Redline against the writer’s text</p>
          <Redline from={letter.body} to={text} />
        </div>
      </div>
      <button type="submit" className="primary">Save edit</button> <button type="button" onClick={onCancel}>Cancel</button>
      {letter.editedBody === null && <p className="muted">An edited letter needs the writer’s approval before it is published.</p>}
    </form>
  );
}
