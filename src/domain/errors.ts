/**
 * The one error type of DataFibers. Every layer speaks it: RAS clients raise it for remote
 * failures, src/protocol/failure-codec.ts carries it through Temporal as an application failure
 * (non-retryable when retrying cannot help), and the API turns it into `{ error: { code, message, details } }`.
 */
export type DfErrorCode =
  | 'VALIDATION_FAILED'
  /** The input asks an engine to reach a class, file, host or code the reach policy does not allow. */
  | 'REACH_REFUSED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'HOST_NOT_ALLOWED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RAS_CLIENT_ERROR'
  | 'RAS_SERVER_ERROR'
  | 'RAS_UNREACHABLE'
  | 'STORE_ERROR'
  | 'UNREADABLE_RECORD'
  | 'TEMPORAL_UNAVAILABLE'
  | 'OVERLOADED'
  | 'TIMEOUT'
  | 'INTERNAL';

export interface DfErrorOptions {
  httpStatus?: number;
  details?: unknown;
  /** Whether trying the same call again can succeed (network faults, 5xx), as opposed to bad input. */
  retryable?: boolean;
  cause?: unknown;
}

const DEFAULT_HTTP_STATUS: Record<DfErrorCode, number> = {
  VALIDATION_FAILED: 400,
  REACH_REFUSED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  HOST_NOT_ALLOWED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RAS_CLIENT_ERROR: 400,
  RAS_SERVER_ERROR: 502,
  RAS_UNREACHABLE: 503,
  STORE_ERROR: 503,
  // A stored record DF cannot read: the store's data is at fault, not the request.
  UNREADABLE_RECORD: 500,
  TEMPORAL_UNAVAILABLE: 503,
  OVERLOADED: 503,
  TIMEOUT: 504,
  INTERNAL: 500,
};

const DEFAULT_RETRYABLE: Record<DfErrorCode, boolean> = {
  VALIDATION_FAILED: false,
  REACH_REFUSED: false,
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  HOST_NOT_ALLOWED: false,
  ORIGIN_NOT_ALLOWED: false,
  PAYLOAD_TOO_LARGE: false,
  NOT_FOUND: false,
  METHOD_NOT_ALLOWED: false,
  CONFLICT: false,
  IDEMPOTENCY_KEY_REUSED: false,
  RAS_CLIENT_ERROR: false,
  RAS_SERVER_ERROR: true,
  RAS_UNREACHABLE: true,
  STORE_ERROR: true,
  UNREADABLE_RECORD: false,
  TEMPORAL_UNAVAILABLE: true,
  OVERLOADED: true,
  TIMEOUT: true,
  INTERNAL: false,
};

/** The mark of a DfError, shared by every copy of this module (jest's module registries, the workflow bundle). */
const DF_ERROR = Symbol.for('datafibers.DfError');

export class DfError extends Error {
  /** `instanceof DfError` holds for a DfError made by any copy of this module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DfError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [DF_ERROR]?: unknown })[DF_ERROR] === true;
  }

  readonly code: DfErrorCode;
  readonly httpStatus: number;
  readonly details: unknown;
  readonly retryable: boolean;

  constructor(code: DfErrorCode, message: string, options: DfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DfError';
    this.code = code;
    this.httpStatus = options.httpStatus ?? DEFAULT_HTTP_STATUS[code];
    this.details = options.details;
    this.retryable = options.retryable ?? DEFAULT_RETRYABLE[code];
    Object.defineProperty(this, DF_ERROR, { value: true });
  }
}

/** The wire form carried inside Temporal failures and HTTP answers. */
export interface DfErrorPayload {
  code: DfErrorCode;
  message: string;
  httpStatus: number;
  details?: unknown;
}

export function toPayload(error: DfError): DfErrorPayload {
  return { code: error.code, message: error.message, httpStatus: error.httpStatus, details: error.details };
}

export function isDfError(error: unknown): error is DfError {
  return error instanceof DfError;
}
