import type { Diagnostic } from "./diagnostic.js";
import { Locator, type SourceLookup } from "./locate.js";

const escapeData = (s: string): string => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (s: string): string => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
export function renderGithub(diagnostics: readonly Diagnostic[], sourceOf: SourceLookup): string {
  const locator = new Locator(sourceOf);
  return diagnostics
    .map((d) => {
      const { start, end } = locator.locateDiagnostic(d);
      const props = [
        d.file ? `file=${escapeProperty(d.file)}` : undefined,
        `line=${start.line}`,
        `col=${start.column}`,
        `endLine=${end.line}`,
        `endColumn=${end.column}`,
        `title=${escapeProperty(`gradelang ${d.rule}`)}`,
      ].filter(Boolean);
      const message = d.suggestion ? `${d.message}\nhelp: ${d.suggestion}` : d.message;
      return `::${d.severity === "error" ? "error" : "warning"} ${props.join(",")}::${escapeData(message)}`;
    })
    .join("\n");
}
