import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

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
    ...(options.python ? ["python graders run their code on this machine (in a sandbox where there is one; --disable-python refuses them)"] : []),
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

/** Headers on every answer: JSON never sniffed as HTML, never framed, cached or given a referrer. */
export const HARDENING_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

/** The host part of a `Host` header or an origin's host: `[::1]:8787` → `::1`, `Example.com.:80` → `example.com`. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(h);
  if (bracket) return bracket[1]!;
  const name = isIP(h) === 6 ? h : h.replace(/:\d*$/, "");
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/**
 * Which `Host` headers (and origins) name this server: loopback names and addresses, the bound
 * address (every interface's address when bound to all), and `extra` names (`--allow-host`).
 * Anything else is a DNS-rebinding page or a misdirected request.
 */
export function hostCheck(bound: string, extra: readonly string[]): (header: string) => boolean {
  const names = new Set(extra.map((e) => hostName(e)));
  names.add(hostName(bound.includes(":") ? `[${bound}]` : bound));
  if (bound === "0.0.0.0" || bound === "::") {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address.toLowerCase());
  }
  return (header) => {
    const name = hostName(header);
    if (name === "") return false;
    return names.has(name) || isLoopback(name);
  };
}
