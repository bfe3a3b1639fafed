import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-examples/", "coverage/", "node_modules/", "grammar/diagrams.html"] },
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
);
