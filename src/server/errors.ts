// Error answers of the API, one shape everywhere: {"error": code, "message"?, "fields"?}.
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: Record<string, string>;
  constructor(status: number, code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export const validationError = (fields: Record<string, string>) => new HttpError(422, 'validation', 'Some fields need attention.', fields);
