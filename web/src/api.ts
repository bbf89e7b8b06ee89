// Talks to the server's API with the session cookie; state-changing calls
// carry the session's CSRF token. The shapes are the server's own: their
// types are imported from the server's schemas and presenters (type-only
// imports, erased from the bundle), so the desk and the API cannot drift.
import type { LetterDetail, LetterList, LetterSummary, PageCampaign } from '../../src/server/routes/letters/schema.ts';
import type { PresenceAnswer } from '../../src/server/routes/desk/schema.ts';
import type { ColleagueView, InvitationView, LetterContextView, SettingsView, TokenView, TrayItemView, UserView } from '../../src/server/routes/desk/presenter.ts';
import type { QueueCounts } from '../../src/server/routes/desk/queue.ts';
import type { InboundMessageView } from '../../src/server/routes/inbound/presenter.ts';
import type { MailView } from '../../src/server/routes/system/presenter.ts';
import type { CampaignActionAnswer } from '../../src/server/routes/campaigns/schema.ts';
import type { EditorAction, Status } from '../../src/letters/lifecycle.ts';
import type { DeskRole } from '../../src/db/repositories/users.ts';

export type { LetterDetail, LetterList, LetterSummary, PageCampaign, PresenceAnswer, ColleagueView, InvitationView, LetterContextView, SettingsView, TokenView, TrayItemView, UserView };
export type { QueueCounts, InboundMessageView, MailView, CampaignActionAnswer, EditorAction, Status };

export type User = { id: string; email: string | null; name: string; role: DeskRole };
export type Session = { user: User; csrfToken: string | null };
export type BulkAnswer = { results: { id: string; ok: boolean; status?: string; error?: string }[] };

let csrf: string | null = null;
export function setCsrf(token: string | null): void {
  csrf = token;
}

export class ApiError extends Error {
  status: number;
  /** The API's error code (`stale`, `conflict`, `forbidden`, …). */
  code: string | null;
  fields?: Record<string, string>;
  constructor(status: number, message: string, code: string | null, fields?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

type ErrorJson = { error?: string; message?: string; fields?: Record<string, string> } | null;

export async function api<T>(method: string, path: string, body?: unknown, opts: { ifMatch?: number } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json as ErrorJson;
    const fields = e?.fields;
    const message = fields ? Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ') : (e?.message ?? `Request failed (${res.status})`);
    throw new ApiError(res.status, message, e?.error ?? null, fields);
  }
  return json as T;
}

export const STATUS_TABS = ['new', 'shortlisted', 'awaiting_approval', 'ready', 'scheduled', 'published', 'declined', 'spam', 'unconfirmed', 'withdrawn'] as const satisfies readonly Status[];
export const statusLabel = (s: string) => s.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
