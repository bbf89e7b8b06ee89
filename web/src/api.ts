// Talks to the server's API with the session cookie; state-changing calls
// carry the session's CSRF token.
export type User = { id: string; email: string | null; name: string; role: 'admin' | 'editor' | 'viewer' };
export type Session = { user: User; csrfToken: string | null };

let csrf: string | null = null;
export function setCsrf(token: string | null): void {
  csrf = token;
}

export class ApiError extends Error {
  status: number;
  fields?: Record<string, string>;
  constructor(status: number, message: string, fields?: Record<string, string>) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const fields = json?.fields as Record<string, string> | undefined;
    const message = fields ? Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ') : (json?.message ?? `Request failed (${res.status})`);
    throw new ApiError(res.status, message, fields);
  }
  return json as T;
}

export type LetterSummary = {
  id: string;
  status: string;
  source: string;
  article: {
    id: string | null;
    confidence: number | null;
    method: string | null;
    /** Screening's most likely articles (offered for unmatched letters). */
    candidates?: { articleId: string; method: string; confidence: number; title?: string }[];
  };
  writer: { name: string; email: string; town: string | null };
  subject: string | null;
  excerpt: string;
  wordCount: number;
  screening: { spamScore: number | null; spamReasons: string[]; campaign: string | null; flags: string[]; similarTo?: { letterId: string; similarity: number }[] };
  createdAt: string;
};

export type LetterDetail = LetterSummary & {
  body: string;
  original: string;
  editedBody: string | null;
  headline: string | null;
  displayName: string | null;
  assignedTo: string | null;
  confirmedAt: string | null;
  scheduledAt: string | null;
  publishedAt: string | null;
  history: { at: string; actor: string; action: string; data: Record<string, unknown> }[];
};

export const STATUS_TABS = ['new', 'shortlisted', 'awaiting_approval', 'ready', 'scheduled', 'published', 'declined', 'spam', 'unconfirmed', 'withdrawn'] as const;
export const statusLabel = (s: string) => s.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
