// Error answers of the API, one shape everywhere: {"error": code, "message"?, "fields"?}.
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: Record<string, string>;
  /** Seconds to wait before trying again: sent as Retry-After (every 429 and 503 has one). */
  readonly retryAfterSeconds?: number;
  constructor(status: number, code: string, message: string, fields?: Record<string, string>, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** "Not now": 503 (or 429) with Retry-After and a message that says when in words. */
export const retryLater = (status: 429 | 503, code: string, message: string, seconds: number) => new HttpError(status, code, message, undefined, Math.max(1, Math.ceil(seconds)));

export const validationError = (fields: Record<string, string>) => new HttpError(422, 'validation', 'Some fields need attention.', fields);
