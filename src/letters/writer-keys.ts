// Keys that recognise one writer behind several spellings of an address.
// `emailKey` is the address itself, case-folded: one writer row per mailbox.
// `variantKey` folds plus-addressing and the dots some providers ignore, for
// "wrote recently" policies and rate limits that a "+2" must not dodge.
const DOTLESS_PROVIDERS = new Set(['gmail.com', 'googlemail.com']);

export function emailKey(address: string): string {
  return address.trim().toLowerCase();
}

export function variantKey(address: string): string {
  const [localRaw = '', domainRaw = ''] = emailKey(address).split('@');
  let domain = domainRaw;
  let local = localRaw.split('+')[0] || localRaw;
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (DOTLESS_PROVIDERS.has(domain)) local = local.replace(/\./g, '');
  return `${local}@${domain}`;
}
