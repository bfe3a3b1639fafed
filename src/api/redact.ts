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

/** Replaces each of `secrets` (6 characters or more) wherever it occurs. */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const keys = [...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const key of keys) out = out.split(key).join(REDACTED);
    return out;
  };
}

/** Hides key-shaped tokens in a message that came from the service. */
export function redactKeyShaped(text: string): string {
  return text.replace(KEY_SHAPED, REDACTED);
}
