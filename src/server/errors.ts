/*
 * The server's error answers, in the OpenAI API's error shape, so an OpenAI client raises the
 * same exception classes (BadRequestError, AuthenticationError, NotFoundError, ...) with the
 * same kind of message it would get from the service:
 *
 *   {"error": {"message": "...", "type": "invalid_request_error", "param": "grader.input", "code": null}}
 */

export interface ApiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** An answer the handler gives instead of a result: the status, the body and extra headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = "invalid_request_error",
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  body(): ApiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** How the API names a JSON value's type in its messages: "a string", "an integer", "null", ... */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "number":
      return Number.isInteger(value) ? "an integer" : "a decimal";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

/** 400 `Invalid type for '<param>': expected <expected>, but got <actual> instead.` */
export function invalidType(param: string, expected: string, value: unknown): HttpError {
  return new HttpError(400, `Invalid type for '${param}': expected ${expected}, but got ${jsonTypeName(value)} instead.`, "invalid_request_error", param, "invalid_type");
}

/** 400 `Missing required parameter: '<param>'.` */
export function missingParameter(param: string): HttpError {
  return new HttpError(400, `Missing required parameter: '${param}'.`, "invalid_request_error", param, "missing_required_parameter");
}
