import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-examples/", "coverage/", "node_modules/", "grammar/diagrams.html", "editors/vscode/node_modules/", "editors/vscode/dist/", "editors/vscode/syntaxes/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The report page's script runs in the browser (src/report/html.ts inlines it).
    files: ["assets/report/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: Object.fromEntries(
        ["document", "window", "localStorage", "matchMedia", "addEventListener", "setTimeout", "clearTimeout", "getComputedStyle", "performance", "Node", "uPlot"].map((name) => [name, "readonly"]),
      ),
    },
  },
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", performance: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The VS Code extension: CommonJS, as VS Code loads it.
    files: ["editors/vscode/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
