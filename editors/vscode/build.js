// Builds the extension: bundles src/extension.js with vscode-languageclient into dist/ (the
// .vsix then needs no node_modules) and copies the TextMate grammar of the repository.
const fs = require("node:fs");
const path = require("node:path");
const { buildSync } = require("esbuild");

fs.mkdirSync(path.join(__dirname, "syntaxes"), { recursive: true });
fs.copyFileSync(path.join(__dirname, "../../grammar/grade.tmLanguage.json"), path.join(__dirname, "syntaxes/grade.tmLanguage.json"));
fs.copyFileSync(path.join(__dirname, "../../LICENSE"), path.join(__dirname, "LICENSE"));
buildSync({
  entryPoints: [path.join(__dirname, "src/extension.js")],
  outfile: path.join(__dirname, "dist/extension.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  minify: true,
  logLevel: "warning",
});
