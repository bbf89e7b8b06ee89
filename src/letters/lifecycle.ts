// The letter lifecycle in one place: the statuses, the actions, which status
// each action may start from and leads to, and who may take it. The API, the
// desk, writers' links and background jobs all go through `decide`.

export const STATUSES = ['unconfirmed', 'new', 'shortlisted', 'awaiting_approval', 'ready', 'scheduled', 'published', 'declined', 'spam', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const ROLES = ['admin', 'editor', 'viewer', 'inbound'] as const;
export type Role = (typeof ROLES)[number];

/** Who acts: a team member (by session or token), the writer (through a signed link or reply), or the system. */
export type Actor =
  | { kind: 'staff'; id: string; role: Role; label: string }
  | { kind: 'writer'; letterId: string }
  | { kind: 'system'; label: string };

export function actorLabel(a: Actor): string {
  return a.kind === 'staff' ? a.label : a.kind === 'writer' ? 'writer' : `system:${a.label}`;
}

/** Editor actions, as named in the API (`POST /api/v1/letters/:id/actions`). */
export const EDITOR_ACTIONS = [
  'shortlist',
  'decline',
  'spam',
  'not_spam',
  'assign_article',
  'assign',
  'edit',
  'request_approval',
  'schedule',
  'publish',
  'withdraw',
  'note',
  'verify',
] as const;
/** Actions only writers (confirm, consent, approve, refuse) or the system (scheduled publishing) take. */
export const OTHER_ACTIONS = ['confirm', 'consent', 'approve', 'refuse', 'publish_scheduled'] as const;
export type Action = (typeof EDITOR_ACTIONS)[number] | (typeof OTHER_ACTIONS)[number];

type Rule = {
  from: readonly Status[] | 'any';
  /** The status after the action; `same` keeps it. */
  to: Status | 'same';
  by: readonly ('editor' | 'writer' | 'system')[];
};

const OPEN: readonly Status[] = ['unconfirmed', 'new', 'shortlisted', 'awaiting_approval', 'ready', 'scheduled', 'declined'];

const RULES: Record<Action, Rule> = {
  confirm: { from: ['unconfirmed'], to: 'new', by: ['writer'] },
  // A letter by email: the writer agrees to publication through the link in the acknowledgement.
  consent: { from: OPEN, to: 'same', by: ['writer'] },
  shortlist: { from: ['new', 'declined', 'unconfirmed'], to: 'shortlisted', by: ['editor'] },
  decline: { from: ['unconfirmed', 'new', 'shortlisted', 'awaiting_approval', 'ready', 'scheduled'], to: 'declined', by: ['editor', 'system'] },
  spam: { from: ['unconfirmed', 'new', 'shortlisted', 'declined'], to: 'spam', by: ['editor', 'system'] },
  not_spam: { from: ['spam'], to: 'new', by: ['editor'] },
  assign_article: { from: 'any', to: 'same', by: ['editor'] },
  assign: { from: 'any', to: 'same', by: ['editor'] },
  note: { from: 'any', to: 'same', by: ['editor'] },
  verify: { from: 'any', to: 'same', by: ['editor'] },
  // Editing after the writer approved a version needs their approval again.
  edit: { from: ['new', 'shortlisted', 'awaiting_approval', 'ready'], to: 'same', by: ['editor'] },
  request_approval: { from: ['new', 'shortlisted', 'ready'], to: 'awaiting_approval', by: ['editor'] },
  approve: { from: ['awaiting_approval'], to: 'ready', by: ['writer'] },
  refuse: { from: ['awaiting_approval'], to: 'shortlisted', by: ['writer'] },
  schedule: { from: ['new', 'shortlisted', 'ready', 'scheduled'], to: 'scheduled', by: ['editor'] },
  publish: { from: ['new', 'shortlisted', 'ready', 'scheduled'], to: 'published', by: ['editor'] },
  publish_scheduled: { from: ['scheduled'], to: 'published', by: ['system'] },
  withdraw: { from: [...OPEN, 'published'], to: 'withdrawn', by: ['editor', 'writer'] },
};

/** Which roles may take editor actions; viewers read, inbound tokens only deliver mail. */
export const ROLES_THAT_ACT: readonly Role[] = ['admin', 'editor'];

export type Decision = { ok: true; to: Status } | { ok: false; status: 403 | 409; error: string };

export function isAction(s: string): s is Action {
  return s in RULES;
}

/**
 * Whether `actor` may take `action` on a letter in status `from`, and the
 * status it leads to. Pure: the caller loads the letter and writes the result.
 */
export function decide(action: Action, from: Status, actor: Actor, letterId: string): Decision {
  const rule = RULES[action];
  const who = actor.kind === 'staff' ? 'editor' : actor.kind;
  if (!rule.by.includes(who)) return { ok: false, status: 403, error: `${action} cannot be taken by ${who === 'editor' ? 'the team' : `the ${who}`}` };
  if (actor.kind === 'staff' && !ROLES_THAT_ACT.includes(actor.role)) return { ok: false, status: 403, error: `the ${actor.role} role cannot change letters` };
  if (actor.kind === 'writer' && actor.letterId !== letterId) return { ok: false, status: 403, error: 'this link belongs to another letter' };
  if (rule.from !== 'any' && !rule.from.includes(from)) return { ok: false, status: 409, error: `a letter that is ${from.replace('_', ' ')} cannot be ${pastTense(action)}` };
  if (rule.from === 'any' && from === 'withdrawn' && action !== 'note') return { ok: false, status: 409, error: 'the writer withdrew this letter' };
  return { ok: true, to: rule.to === 'same' ? (action === 'edit' && (from === 'ready' || from === 'awaiting_approval') ? 'shortlisted' : from) : rule.to };
}

function pastTense(a: Action): string {
  const map: Partial<Record<Action, string>> = {
    shortlist: 'shortlisted',
    decline: 'declined',
    spam: 'marked as spam',
    not_spam: 'marked as not spam',
    edit: 'edited',
    request_approval: 'sent for approval',
    approve: 'approved',
    refuse: 'refused',
    schedule: 'scheduled',
    publish: 'published',
    publish_scheduled: 'published',
    withdraw: 'withdrawn',
    confirm: 'confirmed',
    consent: 'given consent for',
  };
  return map[a] ?? a.replace('_', ' ');
}

