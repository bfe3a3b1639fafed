import { describe, expect, it } from "vitest";
import { createRedactor, headerSecrets, urlSecrets, withoutCredentials } from "../../src/api/redact.js";

describe("the redactor", () => {
  it("masks a secret as written, inside JSON (escaped) and percent-encoded", () => {
    const secret = 'pa"ss\\w0rd@x';
    const redact = createRedactor([secret]);
    expect(redact(`a ${secret} b`)).toBe("a [redacted] b");
    expect(redact(JSON.stringify({ echo: `Bearer ${secret}` }))).toBe('{"echo":"Bearer [redacted]"}');
    expect(redact(`http://u:${encodeURIComponent(secret)}@h/`)).toBe("http://u:[redacted]@h/");
  });

  it("leaves text alone without secrets, and ignores secrets under 6 characters", () => {
    expect(createRedactor([undefined])("same")).toBe("same");
    expect(createRedactor(["abc"])("abc abc")).toBe("abc abc");
  });

  it("finds a URL's password and prints URLs without credentials", () => {
    expect(urlSecrets("http://user:p%40ss@host/v1")).toEqual(["p%40ss", "p@ss"]);
    expect(urlSecrets("http://host/v1")).toEqual([]);
    expect(urlSecrets("not a url")).toEqual([]);
    expect(withoutCredentials("http://user:pass@host:8080/v1")).toBe("http://host:8080/v1");
    expect(withoutCredentials("http://host/v1")).toBe("http://host/v1");
  });

  it("takes the values of Authorization and api-key headers, and the token after the scheme", () => {
    expect(headerSecrets({ Authorization: "Bearer tok-123456", "API-KEY": "k-abcdef", accept: "json" })).toEqual(["Bearer tok-123456", "tok-123456", "k-abcdef"]);
  });
});
