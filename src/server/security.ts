import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/*
 * The server's two safety measures: the bearer token and the loopback default. A python grader is
 * code that runs on this machine, so whoever can reach the server can run code here: it listens
 * on 127.0.0.1 unless told otherwise, and says so loudly when told otherwise.
 */

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/**
 * A check of `Authorization: Bearer <token>` (or Azure OpenAI's `api-key: <token>`, which the
 * `AzureOpenAI` clients send) against the server's token, in constant time (both sides are hashed
 * first, so neither the token's length nor its content leaks through timing).
 */
export function bearerCheck(token: string): (authorization: string | undefined, apiKey?: string | string[]) => "ok" | "missing" | "wrong" {
  const expected = digest(token);
  return (authorization, apiKey) => {
    const match = authorization === undefined ? null : /^Bearer[ \t]+(\S.*?)[ \t]*$/i.exec(authorization);
    const given = match?.[1] ?? (typeof apiKey === "string" && apiKey.trim() !== "" ? apiKey.trim() : undefined);
    if (given === undefined) return "missing";
    return timingSafeEqual(digest(given), expected) ? "ok" : "wrong";
  };
}

/** True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1 (also IPv4-mapped). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) {
    const canonical = new URL(`http://[${h}]/`).hostname; // [::1], [::ffff:7f00:1]
    return canonical === "[::1]" || canonical.startsWith("[::ffff:7f");
  }
  return false;
}

/** The warnings to print before serving on `host` (none on a loopback address). */
export function bindWarnings(host: string, options: { token: boolean; python: boolean; models?: boolean }): string[] {
  if (isLoopback(host)) return [];
  const everywhere = host === "0.0.0.0" || host === "::" || host === "[::]";
  const where = everywhere ? `every network interface (${host})` : `${host}, a non-loopback address`;
  const warnings = [`warning: listening on ${where}: other machines can reach this server.`];
  const risks = [
    ...(options.python ? ["python graders run their code on this machine (best-effort limits, not a sandbox; --disable-python refuses them)"] : []),
    ...(options.models ? ["model graders spend the model server's key"] : []),
  ];
  if (!options.token) {
    warnings.push(
      `warning: no token: ANYONE who can reach it can use it${risks.length ? `, and ${risks.join("; ")}` : ""}. ` +
        "Set GRADE_SERVE_TOKEN (or --token) to require `Authorization: Bearer <token>`.",
    );
  } else if (risks.length) {
    warnings.push(`warning: whoever has the token can use it: ${risks.join("; ")}.`);
  }
  return warnings;
}

/** The URL of a bound address: `http://127.0.0.1:8787`, `http://[::1]:8787`. */
export function originOf(address: string, port: number): string {
  return `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}
