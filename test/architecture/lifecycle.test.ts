// The lifecycle, walked whole: every status × every action × every kind of
// caller, against the rules as the SPEC states them (written out here, apart
// from the code), and against the promises that must hold whatever the
// rules say: viewers and inbound tokens change nothing, a writer's link acts
// on its own letter only, nothing is published twice, a withdrawn letter
// stays withdrawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, EDITOR_ACTIONS, OTHER_ACTIONS, ROLES, STATUSES, type Action, type Actor, type Status } from '../../src/letters/lifecycle.ts';

const ALL = [...EDITOR_ACTIONS, ...OTHER_ACTIONS] as Action[];
const OPEN = 'unconfirmed new shortlisted awaiting_approval ready scheduled declined';

/** action: [statuses it may start from ('*' = any but withdrawn), status it leads to ('=' keeps it), who takes it]. */
const EXPECTED: Record<Action, [string, string, string]> = {
  confirm: ['unconfirmed', 'new', 'writer'],
  // A letter by email: the writer agrees to publication through the link in the acknowledgement.
  consent: [OPEN, '=', 'writer'],
  shortlist: ['unconfirmed new declined', 'shortlisted', 'team'],
  decline: ['unconfirmed new shortlisted awaiting_approval ready scheduled', 'declined', 'team system'],
  spam: ['unconfirmed new shortlisted declined', 'spam', 'team system'],
  not_spam: ['spam', 'new', 'team'],
  assign_article: ['*', '=', 'team'],
  assign: ['*', '=', 'team'],
  note: ['* withdrawn', '=', 'team'],
  verify: ['*', '=', 'team'],
  theme: ['*', '=', 'team'],
  stance: ['*', '=', 'team'],
  edit: ['new shortlisted awaiting_approval ready', '=', 'team'],
  request_approval: ['new shortlisted ready', 'awaiting_approval', 'team'],
  approve: ['awaiting_approval', 'ready', 'writer'],
  refuse: ['awaiting_approval', 'shortlisted', 'writer'],
  schedule: ['new shortlisted ready scheduled', 'scheduled', 'team'],
  publish: ['new shortlisted ready scheduled', 'published', 'team'],
  publish_scheduled: ['scheduled', 'published', 'system'],
  withdraw: [`${OPEN} published`, 'withdrawn', 'team writer'],
};

const LETTER = 'letter-1';
type Caller = { name: string; actor: Actor; kind: 'team' | 'viewer' | 'writer' | 'other-writer' | 'system' };
const CALLERS: Caller[] = [
  ...ROLES.map((role): Caller => ({ name: role, actor: { kind: 'staff', id: 'u', role, label: role }, kind: role === 'admin' || role === 'editor' ? 'team' : 'viewer' })),
  { name: 'writer', actor: { kind: 'writer', letterId: LETTER }, kind: 'writer' },
  { name: "another letter's writer", actor: { kind: 'writer', letterId: 'letter-2' }, kind: 'other-writer' },
  { name: 'system', actor: { kind: 'system', label: 'scheduler' }, kind: 'system' },
];

function startsFrom(spec: string, status: Status): boolean {
  const words = spec.split(' ');
  return words.includes(status) || (words.includes('*') && status !== 'withdrawn');
}

test('every status × action × caller decides as the rules say', () => {
  let walked = 0;
  const wrong: string[] = [];
  for (const status of STATUSES)
    for (const action of ALL)
      for (const caller of CALLERS) {
        walked++;
        const [from, to, who] = EXPECTED[action];
        const allowedCaller = who.split(' ').includes(caller.kind);
        const d = decide(action, status, caller.actor, LETTER);
        const where = `${action} on a ${status} letter by ${caller.name}`;
        if (!allowedCaller) {
          if (d.ok || d.status !== 403) wrong.push(`${where}: expected 403, got ${d.ok ? `ok → ${d.to}` : d.status}`);
        } else if (!startsFrom(from, status)) {
          if (d.ok || d.status !== 409) wrong.push(`${where}: expected 409, got ${d.ok ? `ok → ${d.to}` : d.status}`);
        } else {
          // An edit of an approved (or awaiting) text needs the writer's approval again.
          const expected = to === '=' ? (action === 'edit' && (status === 'ready' || status === 'awaiting_approval') ? 'shortlisted' : status) : to;
          if (!d.ok || d.to !== expected) wrong.push(`${where}: expected ok → ${expected}, got ${d.ok ? `ok → ${d.to}` : `${d.status} ${d.error}`}`);
        }
      }
  assert.equal(walked, STATUSES.length * ALL.length * CALLERS.length);
  assert.deepEqual(wrong, []);
});

test('the promises hold whatever the rules say', () => {
  for (const status of STATUSES)
    for (const action of ALL)
      for (const caller of CALLERS) {
        const d = decide(action, status, caller.actor, LETTER);
        const where = `${action} on a ${status} letter by ${caller.name}`;
        if (caller.kind === 'viewer' || caller.kind === 'other-writer') assert.ok(!d.ok && d.status === 403, `${where} is refused`);
        if (d.ok && (action === 'publish' || action === 'publish_scheduled')) assert.notEqual(status, 'published', `${where}: a letter is published once`);
        if (status === 'withdrawn' && action !== 'note') assert.ok(!d.ok, `${where}: a withdrawn letter stays withdrawn`);
        if (d.ok) assert.ok((STATUSES as readonly string[]).includes(d.to), `${where} leads to a status`);
      }
});
