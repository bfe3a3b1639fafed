/*
 * Keys never reach the output. Every line `grade run` / `grade validate` prints passes through a
 * redactor holding the configured keys. The service's error messages are also cleared of
 * key-shaped tokens (`sk-...`), because a service may quote a masked key back
 * ("Incorrect API key provided: sk-proj-****abcd").
 */

export const REDACTED = "[redacted]";

/** Keys shorter than this are not searched for (they would blank ordinary words). */
const MIN_SECRET_LENGTH = 6;

/** OpenAI-style secret keys, also when partly masked with `*`. */
const KEY_SHAPED = /\bsk-[A-Za-z0-9_*-]{3,}/g;

export type Redactor = (text: string) => string;

/**
 * The ways a secret can be written in output: as it is, inside a JSON string (a `"` or `\\` in a
 * password escaped), and percent-encoded (a password in a URL).
 */
function formsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * Replaces each of `secrets` (6 characters or more) wherever it occurs, in any of its forms: the
 * output of a command, a results file, a server's answer — as CI systems mask secrets in logs.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const keys = [...new Set(secrets.filter((s): s is string => s !== undefined).flatMap(formsOf))].sort((a, b) => b.length - a.length);
  if (keys.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const key of keys) if (out.includes(key)) out = out.split(key).join(REDACTED);
    return out;
  };
}

/** The secrets a URL holds: its password (as written and decoded). */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  try {
    const parsed = new URL(url);
    if (!parsed.password) return [];
    let decoded = parsed.password;
    try {
      decoded = decodeURIComponent(parsed.password);
    } catch {
      // not valid percent-encoding: as written
    }
    return [parsed.password, decoded];
  } catch {
    return [];
  }
}

/** A URL with its user name and password removed, for messages: `http://host/v1`. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The user name and password of a URL, decoded; undefined when it has none. */
export function credentialsOf(url: string): { user: string; password: string } | undefined {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return undefined;
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    return { user: decode(parsed.username), password: decode(parsed.password) };
  } catch {
    return undefined;
  }
}

/** The value of `Authorization: Basic ...` for credentials (a secret too). */
export function basicAuth(credentials: { user: string; password: string }): string {
  return Buffer.from(`${credentials.user}:${credentials.password}`, "utf8").toString("base64");
}

/**
 * The secrets among configured headers: the values of `Authorization` (and its token), `api-key`
 * and `x-api-key`, whatever their case.
 */
export function headerSecrets(headers: Readonly<Record<string, string | null | undefined>> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value !== "string" || !/^(?:authorization|proxy-authorization|api-key|x-api-key)$/i.test(name)) continue;
    out.push(value);
    const token = /^\S+\s+(\S.*)$/.exec(value.trim())?.[1];
    if (token) out.push(token);
  }
  return out;
}

/** Hides key-shaped tokens in a message that came from the service. */
export function redactKeyShaped(text: string): string {
  return text.replace(KEY_SHAPED, REDACTED);
}
