// One letter: the writer's text beside the original, the article and match,
// flags with screening's reasons, a forwarded letter's covering note, the
// writer, history and notes, and the actions that fit the letter now (the
// server's allowedActions, the usual next step first). Every change is sent
// with the version this view shows, so a change made meanwhile by another
// editor is not overwritten: the desk says so instead. Who else has the letter
// open is shown. Reader text is only rendered as React text nodes (escaped).
import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, statusLabel, type EditorAction, type LetterDetail } from './api.ts';
import { go } from './router.ts';
import { keys, lettersChanged, useLetter, useLetterContext, useSettings, useTeam } from './queries.ts';
import { useDesk } from './desk.ts';
import { Redline } from './Redline.tsx';
import { Flags } from './Queue.tsx';
import { When, formatDate } from './format.tsx';
import { ACTION_LABELS, doneMessage, PANEL_ACTIONS } from './messages.ts';
import { usePresence, PresenceLine } from './Presence.tsx';
import { fillReply } from '../../src/letters/reply-template.ts';
import type { PageProps } from './pages.tsx';
import { LetterInsight } from './LetterInsight.tsx';
import type { LetterInsight as Insight } from './insights-api.ts';

type Panel = null | 'decline' | 'edit' | 'schedule' | 'verify' | 'assign_article' | 'assign';
/** Actions that need more from the editor open a panel first. */
const PANELS: Partial<Record<EditorAction, Panel>> = { decline: 'decline', edit: 'edit', schedule: 'schedule', verify: 'verify', assign_article: 'assign_article', assign: 'assign' };
/** The usual next steps are buttons; the rest wait under "More actions". */
const MAIN_ACTIONS = 5;
const SHORTCUT: Partial<Record<EditorAction, string>> = { shortlist: 's', decline: 'd', spam: 'x' };

export const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

export function LetterView({ params }: PageProps) {
  const id = params.id!;
  const { user, canAct, queueIds, setHandler } = useDesk();
  const qc = useQueryClient();
  const letterQ = useLetter(id);
  const contextQ = useLetterContext(id);
  const settings = useSettings();
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(location.hash.includes('decline=1') ? 'decline' : null);
  const presence = usePresence(id, panel === 'edit');
  const letter = letterQ.data;
  const context = contextQ.data;

  const act = async (input: { action: EditorAction } & Record<string, unknown>): Promise<boolean> => {
    if (!letter) return false;
    setError(null);
    setMessage(null);
    try {
      const l = await api<LetterDetail>('POST', `/api/v1/letters/${encodeURIComponent(id)}/actions`, input, { ifMatch: letter.version });
      qc.setQueryData(keys.letter(id), l);
      setPanel(null);
      setMessage(doneMessage(input.action, l, input));
      void lettersChanged();
      if (input.action === 'verify') void qc.invalidateQueries({ queryKey: keys.context(id) });
      return true;
    } catch (err) {
      // A stale copy: keep the editor's panel (and unsaved text) open, and offer the current letter.
      setError({ text: (err as Error).message, stale: err instanceof ApiError && err.code === 'stale' });
      return false;
    }
  };
  const reload = async () => {
    setError(null);
    await qc.invalidateQueries({ queryKey: keys.letter(id) });
  };

  const allowed = letter && canAct ? letter.allowedActions.filter((a) => !PANEL_ACTIONS.includes(a)) : [];
  const index = queueIds.indexOf(id);
  useEffect(() => {
    setHandler((key) => {
      if (key === 'j' && index >= 0 && index < queueIds.length - 1) return go(`/letter/${queueIds[index + 1]}`), true;
      if (key === 'k' && index > 0) return go(`/letter/${queueIds[index - 1]}`), true;
      if (key === 's' && allowed.includes('shortlist')) return void act({ action: 'shortlist' }), true;
      if (key === 'x' && allowed.includes('spam')) return void act({ action: 'spam' }), true;
      if (key === 'd' && allowed.includes('decline')) return setPanel('decline'), true;
      return false;
    });
    return () => setHandler(null);
  });

  if (letterQ.error && !letter) return <p role="alert" className="error">{letterQ.error.message}</p>;
  if (!letter) return <p>Loading…</p>;
  const title = context?.article?.title ?? null;
  const current = letter.editedBody ?? letter.body;
  const changedElsewhere = presence.version !== null && presence.version > letter.version;
  const buttons = allowed.filter((a) => a !== 'note');
  const actionButton = (a: EditorAction, primary: boolean) => (
    <button key={a} type="button" className={primary ? 'primary' : undefined} aria-expanded={PANELS[a] ? panel === PANELS[a] : undefined} onClick={() => (PANELS[a] ? setPanel(panel === PANELS[a] ? null : PANELS[a]!) : void act({ action: a }))}>
      {a === 'assign' ? (letter.assignedTo ? 'Reassign…' : 'Assign…') : ACTION_LABELS[a]}
      {SHORTCUT[a] && <> <kbd>{SHORTCUT[a]}</kbd></>}
    </button>
  );

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
        {letter.writer.town ? `, ${letter.writer.town}` : ''} · {letter.source} · received <When iso={letter.createdAt} /> · <span className="word-count">{words(current)} words</span>
        {letter.status === 'published' && (
          <>
            {' · '}
            <a href={`/letters/${encodeURIComponent(letter.id)}`} target="_blank" rel="noopener">See it published</a>
          </>
        )}
      </p>
      <PresenceLine others={presence.others} />
      {changedElsewhere && (
        <p className="note" role="status">
          Someone else changed this letter since you opened it. <button type="button" onClick={reload}>Show the current letter</button>
        </p>
      )}

      {canAct ? (
        buttons.length ? (
          <div className="actions" role="group" aria-label="Actions">
            {buttons.slice(0, MAIN_ACTIONS).map((a, i) => actionButton(a, i === 0))}
            {buttons.length > MAIN_ACTIONS && (
              <details className="more-actions">
                <summary>More actions</summary>
                <div>{buttons.slice(MAIN_ACTIONS).map((a) => actionButton(a, false))}</div>
              </details>
            )}
          </div>
        ) : (
          <p className="note" role="note">Nothing more can be done with this letter.</p>
        )
      ) : (
        <p className="note" role="note">You have read-only access (viewer): you can read letters but not change them.</p>
      )}
      <div aria-live="polite" className="status-line">{message}</div>
      {error && (
        <p role="alert" className="error">
          {error.text} {error.stale && <button type="button" onClick={reload}>Show the current letter</button>}
        </p>
      )}

      {panel === 'decline' && allowed.includes('decline') && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = new FormData(e.currentTarget); void act({ action: 'decline', ...(f.get('send') ? { reply: String(f.get('reply')) } : {}) }); }}>
          <h2>Decline</h2>
          <label htmlFor="decline-reply">Reply to the writer (from the template; edit as you like)</label>
          <textarea id="decline-reply" name="reply" rows={7} key={settings.data ? 'loaded' : 'loading'} defaultValue={fillReply(settings.data?.policies.declineTemplate ?? '', { name: letter.writer.name, title })} />
          <label className="check"><input type="checkbox" name="send" defaultChecked /> Send this reply</label>
          <button type="submit" className="primary">Decline</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}
      {panel === 'edit' && allowed.includes('edit') && <EditPanel letter={letter} wordLimit={settings.data?.policies.wordLimit ?? null} onSave={(i) => act({ action: 'edit', ...i })} onCancel={() => setPanel(null)} />}
      {panel === 'schedule' && allowed.includes('schedule') && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const v = String(new FormData(e.currentTarget).get('at')); void act({ action: 'schedule', at: new Date(v).toISOString() }); }}>
          <h2>Schedule</h2>
          <label htmlFor="schedule-at">Publish at</label>
          <input id="schedule-at" name="at" type="datetime-local" required />
          <button type="submit" className="primary">Schedule</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}
      {panel === 'assign_article' && allowed.includes('assign_article') && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); void act({ action: 'assign_article', article: String(new FormData(e.currentTarget).get('article')) }); }}>
          <h2>Move to another article</h2>
          <label htmlFor="article-id">Article id</label>
          <input id="article-id" name="article" required defaultValue={letter.article.id ?? ''} />
          <button type="submit" className="primary">Move</button> <button type="button" onClick={() => setPanel(null)}>Cancel</button>
        </form>
      )}
      {panel === 'assign' && allowed.includes('assign') && <AssignPanel current={letter.assignedTo} me={user.email ?? user.name} onAssign={(editor) => act({ action: 'assign', editor })} onCancel={() => setPanel(null)} />}
      {panel === 'verify' && allowed.includes('verify') && (
        <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = new FormData(e.currentTarget); void act({ action: 'verify', how: String(f.get('how')), phone: String(f.get('phone') ?? ''), postalAddress: String(f.get('postal') ?? ''), ...(f.get('vnote') ? { note: String(f.get('vnote')) } : {}) }); }}>
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

      {letter.inbound?.forwardedBy && (
        <section className="card forwarded" aria-labelledby="forwarded-title">
          <h2 id="forwarded-title">Forwarded by {letter.inbound.forwardedBy.name || letter.inbound.forwardedBy.address}</h2>
          <p className="muted">{letter.inbound.forwardedBy.address}</p>
          {letter.inbound.coveringNote ? <div className="letter-text covering-note">{letter.inbound.coveringNote}</div> : <p>No covering note.</p>}
        </section>
      )}

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

      {/* After the text it is about: the estimate, and the editor's correction of it. */}
      <LetterInsight letterId={letter.id} articleId={letter.article.id} insight={(letter as { insight?: Insight }).insight ?? null} canAct={canAct} act={act} />

      <div className="columns three">
        <section aria-labelledby="about-title" className="card">
          <h2 id="about-title">Article and screening</h2>
          <dl>
            <dt>Article</dt>
            <dd>{context?.article ? <a href={context.article.url} target="_blank" rel="noopener noreferrer">{context.article.title}</a> : 'Not matched to an article'}</dd>
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
                        {allowed.includes('assign_article') && <button type="button" onClick={() => void act({ action: 'assign_article', article: c.articleId })}>Assign</button>}
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
                  <a href={`#/queue?campaign=${encodeURIComponent(letter.screening.campaign)}`}>See the whole campaign</a>
                  {letter.screening.similarTo.length ? `; closest: ${letter.screening.similarTo.slice(0, 3).map((s) => `${Math.round(s.similarity * 100)}%`).join(', ')}` : ''}
                </dd>
              </>
            )}
            <dt>Flags</dt>
            <dd>
              {letter.screening.flags.length ? (
                <ul className="flag-reasons">
                  {letter.screening.flags.map((f) => (
                    <li key={f}>
                      <span className="flag">{f.replace(/_/g, ' ')}</span>
                      {letter.screening.flagReasons[f] && <span className="muted"> {letter.screening.flagReasons[f]}</span>}
                    </li>
                  ))}
                </ul>
              ) : letter.screening.campaign ? (
                <Flags flags={[]} spam={null} campaign={letter.screening.campaign} />
              ) : (
                'none'
              )}
            </dd>
            <dt>Consent</dt>
            <dd><Consent consent={letter.consent} /></dd>
            <dt>Assigned to</dt>
            <dd>{letter.assignedTo ?? 'nobody'}</dd>
            {letter.scheduledAt && (
              <>
                <dt>Scheduled</dt>
                <dd><When iso={letter.scheduledAt} /></dd>
              </>
            )}
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
              <dd>{context.writer.verifiedAt ? `${context.writer.verifiedHow} by ${context.writer.verifiedBy}, ${formatDate(context.writer.verifiedAt)}` : 'not yet'}</dd>
            </dl>
          )}
          <h3>Earlier letters</h3>
          {context?.earlierLetters.length ? (
            <ul className="plain">
              {context.earlierLetters.map((l) => (
                <li key={l.id}>
                  <a href={`#/letter/${l.id}`}>{formatDate(l.createdAt)} — {l.subject || l.article || 'letter'}</a> ({statusLabel(l.status)})
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
                <When iso={h.at} relativeToo={false} /> — <strong>{h.action.replace(/_/g, ' ')}</strong> by {h.actor}
                {typeof h.data.text === 'string' && <div className="note-text">{h.data.text}</div>}
                {typeof h.data.reason === 'string' && <div className="note-text">{h.data.reason}</div>}
              </li>
            ))}
          </ol>
          {allowed.includes('note') && (
            <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = e.currentTarget; void act({ action: 'note', text: String(new FormData(f).get('note')) }).then((ok) => ok && f.reset()); }}>
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

/** The writer's consent to publish: a yes/no from the form, or (letters by email) when they gave it. */
function Consent({ consent }: { consent: unknown }) {
  if (typeof consent === 'boolean') return <>{consent ? 'given' : 'not given'}</>;
  if (consent && typeof consent === 'object' && 'given' in consent) {
    const c = consent as { given: boolean; at?: string | null };
    return c.given ? <>given{c.at ? <> <When iso={c.at} relativeToo={false} /></> : null}</> : <strong className="error">not given yet: do not publish</strong>;
  }
  return <>—</>;
}

function AssignPanel({ current, me, onAssign, onCancel }: { current: string | null; me: string; onAssign: (editor: string | null) => Promise<boolean>; onCancel: () => void }) {
  const team = useTeam();
  const choices = team.data?.items ?? [];
  return (
    <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const v = String(new FormData(e.currentTarget).get('editor') ?? ''); void onAssign(v || null); }}>
      <h2>Assign to an editor</h2>
      <label htmlFor="assign-editor">Editor</label>
      <select id="assign-editor" name="editor" defaultValue={current ?? me}>
        <option value="">Nobody</option>
        {choices.map((u) => (
          <option key={u.id} value={u.email}>
            {u.name} ({u.email}){u.email === me ? ' — me' : ''}
          </option>
        ))}
        {current && !choices.some((u) => u.email === current) && <option value={current}>{current}</option>}
      </select>
      <button type="submit" className="primary">Assign</button> <button type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}

function EditPanel({ letter, wordLimit, onSave, onCancel }: { letter: LetterDetail; wordLimit: number | null; onSave: (i: { body: string; headline: string }) => Promise<boolean>; onCancel: () => void }) {
  const [text, setText] = useState(letter.editedBody ?? letter.body);
  const [headline, setHeadline] = useState(letter.headline ?? '');
  const n = words(text);
  return (
    <form className="card" onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); void onSave({ body: text, headline }); }}>
      <h2>Edit</h2>
      <label htmlFor="edit-headline">Headline</label>
      <input id="edit-headline" value={headline} onChange={(e) => setHeadline(e.target.value)} />
      <div className="columns">
        <div>
          <label htmlFor="edit-body">Edited text</label>
          <textarea id="edit-body" rows={14} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="edit-count" />
          <p id="edit-count" className={wordLimit && n > wordLimit ? 'error' : 'muted'} aria-live="polite">
            {n} words{wordLimit ? ` of ${wordLimit}` : ''} (the writer wrote {words(letter.body)})
          </p>
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
