// The VS Code extension in editors/vscode: its manifest registers what the repository ships (the
// language, the TextMate grammar, the language server command), and its own install is pinned
// like the root's. .ci/run builds the .vsix with @vscode/vsce.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../helpers/cli.js";

const dir = path.join(root, "editors/vscode");
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
  main: string;
  engines: { vscode: string };
  contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; scopeName: string; path: string }[] };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as {
  packages: Record<string, { hasInstallScript?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
};

describe("editors/vscode", () => {
  it("registers .grade files with the repository's TextMate grammar (copied by its build)", () => {
    expect(manifest.contributes.languages).toEqual([expect.objectContaining({ id: "grade", extensions: [".grade"], configuration: "./language-configuration.json" })]);
    const grammar = JSON.parse(fs.readFileSync(path.join(root, "grammar/grade.tmLanguage.json"), "utf8")) as { scopeName: string };
    expect(manifest.contributes.grammars).toEqual([{ language: "grade", scopeName: grammar.scopeName, path: "./syntaxes/grade.tmLanguage.json" }]);
    expect(fs.readFileSync(path.join(dir, "build.js"), "utf8")).toContain('"../../grammar/grade.tmLanguage.json"');
    expect(JSON.parse(fs.readFileSync(path.join(dir, "language-configuration.json"), "utf8"))).toMatchObject({ comments: { lineComment: "//" } });
  });

  it("starts `grade lsp` over stdio with vscode-languageclient", () => {
    const source = fs.readFileSync(path.join(dir, "src/extension.js"), "utf8");
    expect(source).toContain('args: ["lsp"]');
    expect(source).toContain("TransportKind.stdio");
    expect(manifest.main).toBe("./dist/extension.js");
  });

  it("pins its dependencies exactly, none says latest, and its only install scripts are skipped (npm ci --ignore-scripts)", () => {
    const all = { ...manifest.dependencies, ...manifest.devDependencies };
    expect(Object.entries(all).filter(([, spec]) => !/^\d+\.\d+\.\d+$/.test(spec))).toEqual([]);
    const tags = Object.entries(lock.packages).flatMap(([where, entry]) =>
      Object.entries({ ...entry.dependencies, ...entry.optionalDependencies })
        .filter(([, spec]) => /^[a-z][\w.-]*$/i.test(spec.trim()) && !/^v?\d/.test(spec.trim()))
        .map(([name, spec]) => `${where} -> ${name}@${spec}`),
    );
    expect(tags).toEqual([]);
    const scripts = Object.entries(lock.packages).filter(([, e]) => e.hasInstallScript).map(([where]) => where.replace(/^.*node_modules\//, ""));
    expect(scripts.sort()).toEqual(["@vscode/vsce-sign", "esbuild"]);
    expect(fs.readFileSync(path.join(root, ".ci/run"), "utf8")).toMatch(/cd editors\/vscode && npm ci --ignore-scripts/);
  });
});
