import { ruleCatalog } from "../check/registry.js";

/** The catalog as markdown: a table, then each rule's example (docs/rules.md embeds this output). */
export function rulesMarkdown(): string {
  const rows = ruleCatalog.map((r) => `| [\`${r.id}\`](#rule-${r.id}) | ${r.severity} | ${r.summary.replaceAll("|", "\\|")} |`);
  const examples = ruleCatalog.map((r) => `<a id="rule-${r.id}"></a>**\`${r.id}\`** (${r.severity})\n\n\`\`\`grade\n${r.example}\n\`\`\``);
  return ["| rule | severity | what it catches |", "|---|---|---|", ...rows, "", "Examples:", "", ...examples.join("\n\n").split("\n")].join("\n");
}

/** `grade rules`: the checker's rules, with what each catches and an example. */
export function rulesCommand(options: { format: "text" | "markdown" | "json" }): number {
  if (options.format === "json") process.stdout.write(`${JSON.stringify(ruleCatalog, null, 2)}\n`);
  else if (options.format === "markdown") process.stdout.write(`${rulesMarkdown()}\n`);
  else {
    for (const r of ruleCatalog) {
      process.stdout.write(`${r.id} (${r.severity})\n  ${r.summary}\n  example:\n${r.example.replace(/^/gm, "    ")}\n\n`);
    }
  }
  return 0;
}
