// Keys that recognise one writer behind several spellings of an address.
// `emailKey` is the address itself, case-folded: one writer row per mailbox.
// `variantKey` folds plus-addressing and the dots some providers ignore, for
// "wrote recently" policies and rate limits that a "+2" must not dodge; it is
// screening's `normaliseEmail`, so there is one normaliser.
import { normaliseEmail } from '../screening/policy.ts';

export function emailKey(address: string): string {
  return address.trim().toLowerCase();
}

export function variantKey(address: string): string {
  return normaliseEmail(address);
}
