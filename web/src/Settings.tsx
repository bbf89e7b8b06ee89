// Admin settings: publication and letters address, policies, article feeds,
// the team and invitations, API tokens.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type InvitationView, type TokenView, type UserView } from './api.ts';
import { keys, queryClient, useSettings } from './queries.ts';
import { useDesk } from './desk.ts';
import { Feeds } from './Feeds.tsx';
import { formatDate } from './format.tsx';
import type { PageProps } from './pages.tsx';

export function Settings(_: PageProps) {
  const { user: self } = useDesk();
  const settingsQ = useSettings();
  const teamQ = useQuery({ queryKey: ['users'], queryFn: () => api<{ users: UserView[]; invitations: InvitationView[] }>('GET', '/api/v1/users') });
  const tokensQ = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: TokenView[] }>('GET', '/api/v1/tokens') });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const settings = settingsQ.data;
  const team = teamQ.data;
  const tokens = tokensQ.data?.items ?? [];

  const run = async (what: () => Promise<unknown>, done: string) => {
    setError(null);
    setMessage(null);
    try {
      await what();
      // Said once the lists show the change, not while they still show the old state.
      await Promise.all([keys.settings, keys.team, ['users'], ['tokens']].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      setMessage(done);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const loadError = settingsQ.error ?? teamQ.error ?? tokensQ.error;

  if (!settings || !team) return <p>{loadError?.message ?? 'Loading…'}</p>;
  const p = settings.policies;

  const savePolicies = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    run(
      () =>
        api('PATCH', '/api/v1/settings', {
          name: String(f.get('name')),
          lettersAddress: String(f.get('address')),
          policies: {
            wordLimit: Number(f.get('wordLimit')),
            articleAgeDays: Number(f.get('articleAgeDays')),
            oneLetterPerDays: Number(f.get('oneLetterPerDays')),
            requireConfirmation: f.get('requireConfirmation') === 'on',
            requireExclusive: f.get('requireExclusive') === 'on',
            requirePhoneVerification: f.get('requirePhoneVerification') === 'on',
            declineTemplate: String(f.get('declineTemplate')),
          },
        }),
      'Settings saved.',
    );
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <div aria-live="polite" className="status-line">{message}</div>
      {error && <p role="alert" className="error">{error}</p>}
      {shown && (
        <div className="card" role="status">
          <p>Copy this now; it is shown only once:</p>
          <code className="secret">{shown}</code> <button type="button" onClick={() => setShown(null)}>Hide</button>
        </div>
      )}
      <form className="card" onSubmit={savePolicies}>
        <h2>Publication and policies</h2>
        <label htmlFor="pub-name">Publication name</label>
        <input id="pub-name" name="name" defaultValue={settings.name} required />
        <label htmlFor="pub-address">Letters address</label>
        <input id="pub-address" name="address" type="email" defaultValue={settings.lettersAddress} required />
        <label htmlFor="wordLimit">Word limit</label>
        <input id="wordLimit" name="wordLimit" type="number" min={20} defaultValue={p.wordLimit} />
        <label htmlFor="articleAgeDays">Article age window (days)</label>
        <input id="articleAgeDays" name="articleAgeDays" type="number" min={1} defaultValue={p.articleAgeDays} />
        <label htmlFor="oneLetterPerDays">One letter per writer per (days)</label>
        <input id="oneLetterPerDays" name="oneLetterPerDays" type="number" min={0} defaultValue={p.oneLetterPerDays} />
        <label className="check"><input type="checkbox" name="requireConfirmation" defaultChecked={p.requireConfirmation} /> Writers must confirm their address</label>
        <label className="check"><input type="checkbox" name="requireExclusive" defaultChecked={p.requireExclusive} /> Flag letters not declared exclusive</label>
        <label className="check"><input type="checkbox" name="requirePhoneVerification" defaultChecked={p.requirePhoneVerification} /> Require a phone check of the writer before publishing</label>
        <label htmlFor="declineTemplate">Decline reply template ({'{name}'} and {'{title}'} are filled in)</label>
        <textarea id="declineTemplate" name="declineTemplate" rows={6} defaultValue={p.declineTemplate} />
        <button type="submit" className="primary">Save settings</button>
      </form>

      <Feeds run={run} />

      <section className="card" aria-labelledby="team-title">
        <h2 id="team-title">Team</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="team-title">
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Change</th></tr></thead>
          <tbody>
            {team.users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  <select aria-label={`Role of ${u.name}`} value={u.role} disabled={u.id === self.id} onChange={(e) => run(() => api('PATCH', `/api/v1/users/${u.id}`, { role: e.target.value }), 'Role changed.')}>
                    <option value="admin">admin</option>
                    <option value="editor">editor</option>
                    <option value="viewer">viewer</option>
                  </select>
                </td>
                <td>{u.disabled ? 'disabled' : u.locked ? 'locked' : 'active'}</td>
                <td>
                  {u.id !== self.id && (
                    <button type="button" onClick={() => run(() => api('PATCH', `/api/v1/users/${u.id}`, { disabled: !u.disabled }), u.disabled ? 'Enabled.' : 'Disabled.')}>{u.disabled ? 'Enable' : 'Disable'}</button>
                  )}
                  {u.locked && <button type="button" onClick={() => run(() => api('PATCH', `/api/v1/users/${u.id}`, { unlock: true }), 'Unlocked.')}>Unlock</button>}
                  {u.id !== self.id && (
                    <button type="button" onClick={() => confirm(`Remove ${u.name} from the team? They are signed out at once; what they did stays in the letters' history.`) && run(() => api('DELETE', `/api/v1/users/${u.id}`), `${u.name} removed from the team.`)}>
                      Remove<span className="visually-hidden"> {u.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <h3>Invitations</h3>
        <ul className="plain">
          {team.invitations.map((i) => (
            <li key={i.id}>
              {i.email} as {i.role}, until {formatDate(i.expiresAt)} <button type="button" onClick={() => run(() => api('DELETE', `/api/v1/invitations/${i.id}`), 'Invitation withdrawn.')}>Withdraw</button>
            </li>
          ))}
        </ul>
        <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = new FormData(e.currentTarget); run(async () => { const r = await api<{ url: string }>('POST', '/api/v1/invitations', { email: f.get('email'), role: f.get('role') }); setShown(r.url); }, 'Invitation sent.'); }}>
          <label htmlFor="invite-email">Invite by email</label>
          <input id="invite-email" name="email" type="email" required />
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" defaultValue="editor">
            <option value="editor">editor</option>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
          <button type="submit">Invite</button>
        </form>
      </section>

      <section className="card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tokens-title">
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{t.lastUsedAt ? formatDate(t.lastUsedAt) : 'never'}</td>
                <td>{t.revokedAt ? 'revoked' : <button type="button" onClick={() => run(() => api('DELETE', `/api/v1/tokens/${t.id}`), 'Token revoked.')}>Revoke {t.name}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <form onSubmit={(e: FormEvent<HTMLFormElement>) => { e.preventDefault(); const f = new FormData(e.currentTarget); run(async () => { const r = await api<{ token: string }>('POST', '/api/v1/tokens', { name: f.get('name'), role: f.get('role') }); setShown(r.token); }, 'Token created.'); }}>
          <label htmlFor="token-name">New token name</label>
          <input id="token-name" name="name" required />
          <label htmlFor="token-role">Role</label>
          <select id="token-role" name="role" defaultValue="editor">
            <option value="admin">admin</option>
            <option value="editor">editor</option>
            <option value="viewer">viewer</option>
            <option value="inbound">inbound (mail webhook)</option>
          </select>
          <button type="submit">Create token</button>
        </form>
      </section>
    </section>
  );
}
