// Every table of the database, as Kysely sees it: one type for the whole
// schema, so that any query on any connection or transaction is typed
// without casts. Time, boolean and JSON columns hold whatever the dialect
// stores (see dialect.ts); repositories convert on the way in and out.
import type { Generated } from 'kysely';

type Time = string | Date;
type Bool = number | boolean;
type Json = string | object;

export type PublicationTable = {
  id: string;
  name: string;
  letters_address: string;
  settings: Json;
  secret: string;
  created_at: Time;
};

export type ArticleTable = {
  id: string;
  url: string;
  url_key: string;
  title: string;
  author: string | null;
  published_at: Time | null;
  section: string | null;
  body: string | null;
  created_at: Time;
  updated_at: Time;
};

export type WriterTable = {
  id: string;
  email: string;
  email_key: string;
  variant_key: string;
  name: string;
  town: string | null;
  phone: string | null;
  postal_address: string | null;
  verified_at: Time | null;
  verified_by: string | null;
  verified_how: string | null;
  erased_at: Time | null;
  created_at: Time;
  updated_at: Time;
};

export type LetterTable = {
  id: string;
  article_id: string | null;
  writer_id: string;
  status: string;
  source: string;
  subject: string | null;
  name: string;
  town: string | null;
  body: string;
  original: string;
  edited_body: string | null;
  headline: string | null;
  display_name: string | null;
  word_count: number;
  consent: Bool;
  exclusive: Bool;
  article_method: string | null;
  article_confidence: number | null;
  spam_score: number | null;
  spam_reasons: Json;
  campaign_id: string | null;
  flags: Json;
  pow: string;
  dedupe_key: string | null;
  message_id: string | null;
  confirm_token_hash: string | null;
  confirmed_at: Time | null;
  assigned_to: string | null;
  scheduled_at: Time | null;
  published_at: Time | null;
  meta: Json;
  created_at: Time;
  updated_at: Time;
  /** What a published letter shows (set when it is published; the writer's own text stays in `body`). */
  published_body: Generated<string | null>;
  published_town: Generated<string | null>;
  /** The desk's changes so far (migration 0730): an action from a stale copy is refused. */
  version: Generated<number>;
  /** When the writer agreed to publication (the form: on arrival; email: through the consent link). */
  consent_at: Generated<Time | null>;
  /** The language the writer is answered in; null: the publication's. */
  language: Generated<string | null>;
};

/** PostgreSQL's search index, beside the letters so that their changes never write it (migration 0990). */
export type LetterSearchTable = {
  letter_id: string;
  search_vector: unknown;
};

export type LetterEventTable = {
  id: string;
  letter_id: string | null;
  actor: string;
  action: string;
  data: Json;
  created_at: Time;
};

/** Events whose processors have not all run yet (the transactional outbox; see src/events). */
export type EventQueueTable = {
  event_id: string;
  run_at: Time;
  attempts: number;
  /** Names of the processors that already ran for this event (JSON array). */
  done: Json;
  last_error: string | null;
  /** Set when the event ran out of attempts: kept for the record, no longer run. */
  failed_at: Time | null;
};

export type IdempotencyKeyTable = {
  key: string;
  request_hash: string;
  letter_id: string | null;
  response: Json;
  created_at: Time;
};

export type ApiTokenTable = {
  id: string;
  name: string;
  role: string;
  token_hash: string;
  created_at: Time;
  last_used_at: Time | null;
  revoked_at: Time | null;
};

export type OutboxTable = {
  id: string;
  letter_id: string | null;
  kind: string;
  to_address: string;
  to_name: string | null;
  subject: string;
  text: string;
  headers: Json;
  message_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Time;
  last_error: string | null;
  sent_at: Time | null;
  created_at: Time;
};

export type JobTable = {
  id: string;
  kind: string;
  payload: Json;
  run_at: Time;
  attempts: number;
  max_attempts: number;
  locked_until: Time | null;
  done_at: Time | null;
  last_error: string | null;
  created_at: Time;
};

export type PowSpentTable = {
  signature: string;
  expires_at: Time;
};

/** SQLite only: the FTS5 index of letters' text. */
export type LetterFtsTable = {
  letter_id: string;
  text: string;
};

export type UserTable = {
  id: string;
  email: string;
  email_key: string;
  name: string;
  role: string;
  password_hash: string | null;
  failed_signins: number;
  locked_until: Time | null;
  disabled_at: Time | null;
  created_at: Time;
  updated_at: Time;
};

export type SessionTable = { id: string; token_hash: string; csrf_token: string; user_id: string; created_at: Time; expires_at: Time };

export type UserLinkTable = {
  id: string;
  token_hash: string;
  kind: string;
  email: string | null;
  role: string | null;
  user_id: string | null;
  created_by: string | null;
  expires_at: Time;
  used_at: Time | null;
  created_at: Time;
};

export type WriterLinkTable = {
  id: string;
  letter_id: string;
  purpose: string;
  token_hash: string;
  data: Json;
  expires_at: Time;
  used_at: Time | null;
  created_at: Time;
};

export type WebhookTable = { id: string; url: string; events: Json; secret: string; created_at: Time; disabled_at: Time | null };

export type WebhookDeliveryTable = {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Time | null;
  /** While `sending`: until when the node that claimed it may still be at it. */
  sending_until: Time | null;
  created_at: Time;
};

export type AuthorReplyTable = { id: string; letter_id: string; author_name: string; body: string; created_at: Time };

export type InboundMessageTable = {
  id: string;
  dedupe_key: string;
  source: string;
  received_at: Time;
  mail_from: string | null;
  rcpt_to: Json;
  remote_ip: string | null;
  helo: string | null;
  size: number;
  sha256: string;
  compression: string;
  raw: Uint8Array;
  message_id: string | null;
  from_address: string | null;
  from_name: string | null;
  subject: string | null;
  kind: string | null;
  reason: string;
  status: string;
  quarantine_reason: string | null;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  auth: Json;
  spam_score: number | null;
  attachments: Json;
  warnings: Json;
  letter_id: string | null;
  history: Json;
  processed_at: Time | null;
  updated_at: Time;
};

/** Append-only logs read by position (`seq`): every node's in-memory indexes catch up from them. */
export type CampaignRecordTable = { seq: Generated<number>; letter_id: string; record: Json; created_at: Time };
export type SpamLessonTable = { seq: Generated<number>; letter_id: string; label: string; delta: number; text: string; created_at: Time };
export type SpamLabelTable = { letter_id: string; label: string };
/** Letters per article (dimension 'article'; key '' is none) or campaign ('campaign') and status, in slots (migration 0900). */
export type LetterCountTable = { slot: number; dimension: string; key: string; status: string; n: number };
export type LetterScreeningTable = { letter_id: string; candidates: Json; similar_to: Json; details: Json; screened_at: Time };

export type ArticleFeedTable = {
  id: string;
  url: string;
  format: string;
  origin: string;
  detected_format: string | null;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: Time | null;
  last_success_at: Time | null;
  last_error_at: Time | null;
  last_error: string | null;
  last_http_status: number | null;
  failures_in_row: number;
  items_seen: number;
  items_skipped: number;
  articles_added: number;
  articles_updated: number;
  job_id: string | null;
  created_at: Time;
};

/** Who has a letter open on the desk (migration 0730). */
export type LetterPresenceTable = {
  letter_id: string;
  user_id: string;
  user_name: string;
  editing: Bool;
  seen_at: Time;
};

/** What readers think of an article (issue 12): the engine's state, as JSON. */
export type ArticleInsightTable = {
  article_id: string;
  themes: Json | null;
  taught: Json;
  stance_model: Json | null;
  revision: number;
  grouped_revision: number;
  grouped_letters: number;
  grouped_at: Time | null;
  job_id: string | null;
  updated_at: Time;
};

/** A letter's line of argument and stance: estimated (`model`) or set by an editor (`editor`). */
export type LetterInsightTable = {
  letter_id: string;
  article_id: string;
  theme_id: string | null;
  theme_name: string | null;
  stance: string | null;
  stance_confidence: number | null;
  theme_source: string;
  stance_source: string;
  updated_at: Time;
};

export type Database = {
  publication: PublicationTable;
  articles: ArticleTable;
  article_feeds: ArticleFeedTable;
  writers: WriterTable;
  letters: LetterTable;
  letter_events: LetterEventTable;
  letter_presence: LetterPresenceTable;
  event_queue: EventQueueTable;
  idempotency_keys: IdempotencyKeyTable;
  api_tokens: ApiTokenTable;
  outbox: OutboxTable;
  jobs: JobTable;
  pow_spent: PowSpentTable;
  /** PostgreSQL only (migration 0990): each letter's full-text vector. */
  letter_search: LetterSearchTable;
  letters_fts: LetterFtsTable;
  users: UserTable;
  sessions: SessionTable;
  user_links: UserLinkTable;
  writer_links: WriterLinkTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  author_replies: AuthorReplyTable;
  inbound_messages: InboundMessageTable;
  campaign_records: CampaignRecordTable;
  spam_lessons: SpamLessonTable;
  spam_labels: SpamLabelTable;
  letter_screening: LetterScreeningTable;
  letter_counts: LetterCountTable;
  article_insights: ArticleInsightTable;
  letter_insights: LetterInsightTable;
};
