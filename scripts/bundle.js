// Bundles the CLI (dist/cli/main.js and what it imports lazily) into dist/bundle/, so `grade`
// starts without resolving a hundred modules. Dynamic imports stay separate chunks (splitting),
// so a command loads only what it needs; prettier and openai stay external (loaded from
// node_modules only by the commands that use them).
import { build } from "esbuild";

await build({
  entryPoints: { main: "dist/cli/main.js" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // ESM builds first: jsonc-parser's UMD build loads its parts with a require esbuild cannot follow.
  mainFields: ["module", "main"],
  target: "node22",
  external: ["prettier", "openai"],
  logLevel: "warning",
  // decompile.js reads jsonc-parser's `default` only where Node gives it one (CommonJS interop).
  logOverride: { "import-is-undefined": "silent" },
  banner: { js: 'import { createRequire as __gradeRequire } from "node:module"; const require = __gradeRequire(import.meta.url);' },
});
