// A campaign handled as one: shortlist one letter to stand for all of them,
// and decline the rest still waiting with one reply ({name} and {title} are
// filled for each writer by the server).
import { useState, type FormEvent } from 'react';
import { api, type CampaignActionAnswer, type LetterSummary } from './api.ts';
import { lettersChanged, useSettings } from './queries.ts';
import { cutAtWord } from './format.tsx';

type Props = { id: string; name: string | null; total: number; byStatus: Record<string, number> | null; members: LetterSummary[]; canAct: boolean; onDone: (message: string) => void };

export function CampaignPanel({ id, name, total, byStatus, members, canAct, onDone }: Props) {
  const settings = useSettings();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Counted over the whole campaign (the list shows one page of it).
  const waiting = byStatus ? (byStatus.new ?? 0) + (byStatus.unconfirmed ?? 0) : members.filter((m) => m.status === 'new' || m.status === 'unconfirmed').length;
  const picked = members.find((m) => m.status === 'shortlisted');
  const candidates = members.filter((m) => m.allowedActions.includes('shortlist'));

  const run = async (body: Record<string, unknown>, say: (a: CampaignActionAnswer) => string) => {
    setError(null);
    setBusy(true);
    try {
      const a = await api<CampaignActionAnswer>('POST', `/api/v1/campaigns/${encodeURIComponent(id)}/actions`, body);
      onDone(say(a));
      await lettersChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const shortlist = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const letter = String(new FormData(e.currentTarget).get('representative') ?? '');
    const who = members.find((m) => m.id === letter)?.writer.name ?? 'the chosen writer';
    void run({ action: 'shortlist_representative', ...(letter ? { letter } : {}) }, () => `Shortlisted ${who}’s letter to stand for the campaign.`);
  };
  const decline = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const reply = f.get('send') ? String(f.get('reply') ?? '') : undefined;
    void run({ action: 'decline', ...(reply ? { reply } : {}) }, (a) => {
      const ok = a.results.filter((r) => r.ok).length;
      return `Declined ${ok} ${ok === 1 ? 'letter' : 'letters'} of the campaign${reply ? '; each writer gets your reply' : '; no reply sent'}.`;
    });
  };

  return (
    <section className="card campaign" aria-labelledby="campaign-title">
      <h2 id="campaign-title">{cutAtWord(name ?? 'Campaign', 90)} — {total} letters</h2>
      <p className="muted">
        The same letter, sent by {total} writers. {waiting} waiting{picked ? `; ${picked.writer.name}’s letter is shortlisted to stand for it` : ''}.{' '}
        <a href="#/queue">Back to the queue</a>
      </p>
      {error && <p role="alert" className="error">{error}</p>}
      {canAct && (
        <div className="columns">
          <form onSubmit={shortlist}>
            <h3>Shortlist one to stand for all</h3>
            <label htmlFor="representative">Letter</label>
            <select id="representative" name="representative" disabled={!candidates.length}>
              {candidates.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.writer.name}{m.writer.town ? `, ${m.writer.town}` : ''} ({m.wordCount} words)
                </option>
              ))}
            </select>
            <button type="submit" className="primary" disabled={busy || !candidates.length}>Shortlist this letter</button>
          </form>
          <form onSubmit={decline}>
            <h3>Decline the {waiting} waiting</h3>
            <label htmlFor="campaign-reply">One reply for every writer ({'{name}'} and {'{title}'} are filled for each)</label>
            <textarea id="campaign-reply" name="reply" rows={5} key={settings.data ? 'loaded' : 'loading'} defaultValue={settings.data?.policies.declineTemplate ?? ''} />
            <label className="check"><input type="checkbox" name="send" defaultChecked /> Send this reply</label>
            <button type="submit" disabled={busy || !waiting}>Decline all waiting</button>
          </form>
        </div>
      )}
    </section>
  );
}
