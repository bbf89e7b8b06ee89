// Webhooks and their deliveries as the API shows them (the secret only when a webhook is made).
import type { Webhook, WebhookDelivery } from '../../../db/repositories/webhooks.ts';
import { BUILT_IN_LANGUAGES, availableLanguages } from '../../../i18n/index.ts';
import type { ReaderSettings } from '../../../publishing/readers.ts';

export function presentHook(h: Webhook, withSecret = false) {
  return { id: h.id, url: h.url, events: h.events, createdAt: h.createdAt.toISOString(), ...(withSecret ? { secret: h.secret } : {}) };
}

export function presentDelivery(d: WebhookDelivery) {
  return {
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    payload: JSON.parse(d.payload),
  };
}

/** The readers' settings, with the languages the publication can answer in. */
export function presentReaderSettings(s: ReaderSettings) {
  return { ...s, builtInLanguages: BUILT_IN_LANGUAGES, languages: availableLanguages(s.messages) };
}
