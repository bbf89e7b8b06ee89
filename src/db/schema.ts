// Row types as Kysely sees them. Time, boolean and JSON columns hold whatever
// the dialect stores (see mapping.ts); repositories convert on the way out.
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
  search_vector?: unknown;
};

export type LetterEventTable = {
  id: string;
  letter_id: string | null;
  actor: string;
  action: string;
  data: Json;
  created_at: Time;
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

export type Schema = {
  publication: PublicationTable;
  articles: ArticleTable;
  writers: WriterTable;
  letters: LetterTable;
  letter_events: LetterEventTable;
  idempotency_keys: IdempotencyKeyTable;
  api_tokens: ApiTokenTable;
  outbox: OutboxTable;
  jobs: JobTable;
  pow_spent: PowSpentTable;
  letters_fts: LetterFtsTable;
  users: UserTable;
  sessions: SessionTable;
  user_links: UserLinkTable;
};

export type { Generated };
