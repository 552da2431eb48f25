/**
 * The one error type of the BFF. Every failure that reaches a client is an AppError with a code
 * from this union; the error middleware maps the code to a status, so routes and services never
 * pick HTTP statuses themselves.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'validation_failed'
  | 'not_found'
  | 'tenant_not_found'
  | 'origin_not_allowed'
  | 'invalid_token'
  | 'wrong_token_purpose'
  | 'forbidden'
  | 'message_conflict'
  | 'rate_limited'
  | 'storage_unavailable'
  | 'model_unavailable'
  | 'model_throttled'
  | 'model_error'
  | 'generation_interrupted'
  | 'internal_error';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  validation_failed: 400,
  not_found: 404,
  tenant_not_found: 404,
  origin_not_allowed: 403,
  invalid_token: 401,
  wrong_token_purpose: 403,
  forbidden: 403,
  message_conflict: 409,
  rate_limited: 429,
  storage_unavailable: 503,
  model_unavailable: 503,
  model_throttled: 503,
  model_error: 502,
  generation_interrupted: 500,
  internal_error: 500,
};

export interface AppErrorOptions {
  /** Seconds a client should wait before trying again (sent as Retry-After). */
  retryAfterS?: number;
  /** Extra response headers, e.g. WWW-Authenticate. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterS: number | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.retryAfterS = options.retryAfterS;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
