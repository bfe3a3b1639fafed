import type { RuleMeta } from "../check/context.js";
import type { Diagnostic } from "./diagnostic.js";
import { Locator, type SourceLookup } from "./locate.js";

/*
 * SARIF 2.1.0, the format GitHub code scanning (and other tools) read: one run, the rule catalog
 * as the tool's rules, one result per finding.
 */

export interface SarifOptions {
  readonly version: string;
  readonly rules: readonly RuleMeta[];
}

export function renderSarif(diagnostics: readonly Diagnostic[], sourceOf: SourceLookup, options: SarifOptions): string {
  const locator = new Locator(sourceOf);
  const ruleIndex = new Map(options.rules.map((r, i) => [r.id, i]));
  const results = diagnostics.map((d) => {
    const { start, end } = locator.locateDiagnostic(d);
    const region = { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: Math.max(end.column, start.column + (end.line === start.line ? 1 : 0)) };
    return {
      ruleId: d.rule,
      ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
      level: d.severity === "error" ? "error" : "warning",
      message: { text: d.suggestion ? `${d.message}\nhelp: ${d.suggestion}` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: (d.file ?? "stdin").replaceAll("\\", "/") },
            region,
          },
        },
      ],
      ...(d.related?.length
        ? {
            relatedLocations: d.related.map((r, id) => {
              const at = locator.locate(d.file, r.span);
              return {
                id,
                message: { text: r.message },
                physicalLocation: {
                  artifactLocation: { uri: (d.file ?? "stdin").replaceAll("\\", "/") },
                  region: { startLine: at.start.line, startColumn: at.start.column, endLine: at.end.line, endColumn: at.end.column },
                },
              };
            }),
          }
        : {}),
    };
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "gradelang",
            version: options.version,
            informationUri: "https://www.npmjs.com/package/gradelang",
            rules: options.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              help: { text: `${r.summary}\n\nExample:\n${r.example}`, markdown: `${r.summary}\n\n\`\`\`grade\n${r.example}\n\`\`\`` },
              defaultConfiguration: { level: r.severity === "error" ? "error" : "warning" },
            })),
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
