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
  // Teaching "what readers think": file the letter under a line of argument, set its stance.
  'theme',
  'stance',
] as const;
/** Actions only writers (confirm, consent, approve, refuse) or the system (scheduled publishing) take. */
export const OTHER_ACTIONS = ['confirm', 'consent', 'approve', 'refuse', 'publish_scheduled'] as const;
export type EditorAction = (typeof EDITOR_ACTIONS)[number];
export type Action = EditorAction | (typeof OTHER_ACTIONS)[number];

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
  theme: { from: 'any', to: 'same', by: ['editor'] },
  stance: { from: 'any', to: 'same', by: ['editor'] },
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

export type Decision = { ok: true; to: Status } | { ok: false; status: 403 | 409 | 422; error: string };

/** What about the letter, beyond its status, decides whether an action fits. */
export type LetterFacts = {
  /** The editors changed the writer's text: it needs the writer's approval (ready or scheduled) before it goes out. */
  edited?: boolean;
  /** A letter by email whose writer has not yet agreed to publication (the form asks on arrival; email through the consent link). */
  withoutConsent?: boolean;
};

/** Why a letter by email cannot be published yet: its writer has not agreed to publication. */
export const NO_CONSENT =
  'the writer has not yet agreed to publication: a letter by email needs the same consent the form asks for. The acknowledgement mail asked them (a link to a page with a button); once they press it, the letter can be published';

const APPROVED: readonly Status[] = ['ready', 'scheduled'];

export function isAction(s: string): s is Action {
  return s in RULES;
}

/**
 * Whether `actor` may take `action` on a letter in status `from`, and the
 * status it leads to. Pure: the caller loads the letter and writes the result.
 */
export function decide(action: Action, from: Status, actor: Actor, letterId: string, facts: LetterFacts = {}): Decision {
  const rule = RULES[action];
  const who = actor.kind === 'staff' ? 'editor' : actor.kind;
  if (!rule.by.includes(who)) return { ok: false, status: 403, error: `${action} cannot be taken by ${who === 'editor' ? 'the team' : `the ${who}`}` };
  if (actor.kind === 'staff' && !ROLES_THAT_ACT.includes(actor.role)) return { ok: false, status: 403, error: `the ${actor.role} role cannot change letters` };
  if (actor.kind === 'writer' && actor.letterId !== letterId) return { ok: false, status: 403, error: 'this link belongs to another letter' };
  if (rule.from !== 'any' && !rule.from.includes(from)) return { ok: false, status: 409, error: `a letter that is ${from.replace('_', ' ')} cannot be ${pastTense(action)}` };
  if (rule.from === 'any' && from === 'withdrawn' && action !== 'note') return { ok: false, status: 409, error: 'the writer withdrew this letter' };
  const goesOut = action === 'publish' || action === 'schedule' || action === 'publish_scheduled';
  if (goesOut && facts.withoutConsent) return { ok: false, status: 422, error: NO_CONSENT };
  if (goesOut && facts.edited && !APPROVED.includes(from))
    return { ok: false, status: 409, error: 'the writer has not approved the edited text; request approval first' };
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


/**
 * The usual next steps for a letter in each status, most likely first: the
 * order the desk offers `allowedActions` in. Actions not named here follow
 * in the order of EDITOR_ACTIONS.
 */
const NEXT_STEPS: Record<Status, readonly Action[]> = {
  unconfirmed: ['shortlist', 'decline', 'spam'],
  new: ['shortlist', 'edit', 'decline', 'spam', 'publish'],
  shortlisted: ['edit', 'request_approval', 'publish', 'schedule', 'decline'],
  awaiting_approval: ['edit', 'decline', 'withdraw'],
  ready: ['publish', 'schedule', 'edit', 'decline'],
  scheduled: ['publish', 'schedule', 'decline', 'withdraw'],
  published: ['withdraw'],
  declined: ['shortlist', 'spam'],
  spam: ['not_spam'],
  withdrawn: ['note'],
};

/**
 * The editor actions `actor` may take now on a letter in `status`, the usual
 * next step first. Asks `decide` for each, so the desk offers exactly what
 * the API would accept.
 */
export function allowedActions(status: Status, actor: Actor, letterId: string, facts: LetterFacts = {}): EditorAction[] {
  const fits = EDITOR_ACTIONS.filter((a) => decide(a, status, actor, letterId, facts).ok);
  const rank = (a: EditorAction) => {
    const i = NEXT_STEPS[status].indexOf(a);
    return i === -1 ? NEXT_STEPS[status].length + EDITOR_ACTIONS.indexOf(a) : i;
  };
  return fits.sort((a, b) => rank(a) - rank(b));
}
