/*
 * Why an engine could not answer. The message is complete and safe to print (it never holds a
 * key); the CLI picks the exit code from `kind`.
 */

export type EngineErrorKind =
  /** Missing or contradictory configuration (no key, no Azure endpoint): nothing was sent. */
  | "config"
  /** 401: the key is missing, wrong or revoked. */
  | "auth"
  /** 403: the key may not use this endpoint, model or project. */
  | "permission"
  /** 400 or 422: the service rejected the request (an invalid grader, most often). */
  | "rejected"
  /** 404: no such endpoint at this base URL. */
  | "not-found"
  /** 429 after the retries. */
  | "rate-limit"
  /** 5xx after the retries. */
  | "server"
  /** Any other HTTP status. */
  | "http"
  /** No answer within --timeout. */
  | "timeout"
  /** No connection: refused, unknown host, reset. */
  | "network"
  /** An answer that is not what the endpoint returns. */
  | "response";

export interface EngineErrorDetails {
  /** The HTTP status of the last answer, when there was one. */
  readonly status?: number | undefined;
  /** The service's own error message (already redacted). */
  readonly apiMessage?: string | undefined;
  /** The error's `param`: the request field it is about (`grader.graders.input`), when it names one. */
  readonly param?: string | undefined;
  /** How many requests were sent (1 + retries). */
  readonly attempts?: number | undefined;
}

export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly details: EngineErrorDetails = {},
  ) {
    super(message);
    this.name = "EngineError";
  }
}
