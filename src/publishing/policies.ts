// Publishing's own policy settings. They live in the publication's settings
// JSON beside the core policies (which keep unknown keys), so an admin sets
// them the same way; these are the defaults.
import type { Publication } from '../db/repositories/publication.ts';

export type PublishingPolicies = {
  /** Send a short courteous notice when a letter is declined. */
  declineNotice: boolean;
  /** Send a notice when a letter was not chosen within `notChosenDays`. */
  notChosenNotice: boolean;
  notChosenDays: number;
  /** `writer erase`: anonymise letters (published ones keep their text) or delete unpublished ones. */
  eraseLetters: 'anonymise' | 'delete';
  /** Days an approval link stays usable. */
  approvalLinkDays: number;
};

export const defaultPublishingPolicies: PublishingPolicies = {
  declineNotice: false,
  notChosenNotice: false,
  notChosenDays: 14,
  eraseLetters: 'anonymise',
  approvalLinkDays: 14,
};

export function publishingPolicies(p: Publication): PublishingPolicies {
  const s = p.policies as unknown as Partial<PublishingPolicies>;
  const d = defaultPublishingPolicies;
  return {
    declineNotice: typeof s.declineNotice === 'boolean' ? s.declineNotice : d.declineNotice,
    notChosenNotice: typeof s.notChosenNotice === 'boolean' ? s.notChosenNotice : d.notChosenNotice,
    notChosenDays: Number.isFinite(s.notChosenDays) && s.notChosenDays! > 0 ? s.notChosenDays! : d.notChosenDays,
    eraseLetters: s.eraseLetters === 'delete' ? 'delete' : 'anonymise',
    approvalLinkDays: Number.isFinite(s.approvalLinkDays) && s.approvalLinkDays! > 0 ? s.approvalLinkDays! : d.approvalLinkDays,
  };
}
