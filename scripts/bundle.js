// Bundles the CLI into dist/bundle/, so that `grade` starts without resolving a hundred modules:
//
// - main.js: dist/cli/main.js (commander and the command definitions);
// - one file per command module main.js imports when the command runs (`check.js`,
//   `compile.js`, `fmt.js`...), each with everything it needs: a command loads two files, not
//   thirty chunks (Node spends about half a millisecond on each module it loads);
// - io.js: dist/cli/io.js, which main.js and the commands share (`UsageError` must be one class),
//   and tinyglobby.js, which it loads for directory arguments only;
// - graders.js and full-parse.js: the zod schemas and the chevrotain parser, which a command
//   loads only when needed (src/schema/lazy.ts: compile() needs zod's issues; src/syntax/lazy.ts:
//   the fast parser gives up, on a syntax error). They register on globalThis.
//
// prettier and openai stay external (loaded from node_modules by the commands that use them).
//
// First, src/schema/table.ts is brought in step with the zod schemas (scripts/schema-table.js);
// when it changed, tsc runs again so dist/ has the new table.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { updateSchemaTable } from "./schema-table.js";

if (await updateSchemaTable()) {
  console.log("src/schema/table.ts changed with the zod schemas; compiling again");
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}

/*
 * Node's built-in modules, read with process.getBuiltinModule instead of `import`: an ES import
 * of a built-in makes Node build its ES module facade, which reads every export, and so runs
 * every lazy getter (fs.promises, the process's stdin...) and loads the modules behind them. That,
 * and child_process for commander, was a third of `grade check`'s start-up.
 */
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
/** Built-ins loaded only when used: commander imports child_process for a feature `grade` never uses. */
const lazyBuiltins = new Set(["child_process"]);

function builtinModule(name) {
  const specifier = JSON.stringify(`node:${name}`);
  const module = process.getBuiltinModule(name);
  if (lazyBuiltins.has(name)) {
    // Loaded on first use: its functions call through, its default export is a view of it.
    const functions = Object.keys(module).filter((key) => /^[A-Za-z][\w$]*$/.test(key) && typeof module[key] === "function");
    return [
      `let __builtin; const __load = () => (__builtin ??= process.getBuiltinModule(${specifier}));`,
      "export default new Proxy({}, { get: (_, key) => __load()[key], has: (_, key) => key in __load() });",
      ...functions.map((key) => `export function ${key}(...args) { return __load().${key}.apply(this, args); }`),
    ].join("\n");
  }
  // The exports the bundle uses are read as the module loads (each is a pure call, dropped when
  // unused); lazy getters (fs.promises, process.stdin...) are not exported, so a namespace import
  // that esbuild must make whole (tinyglobby passes `fs` on) never runs them.
  const data = Object.getOwnPropertyNames(module).filter(
    (key) => /^[A-Za-z][\w$]*$/.test(key) && key !== "default" && !Object.getOwnPropertyDescriptor(module, key).get,
  );
  return [
    `const __builtin = process.getBuiltinModule(${specifier});`,
    "const __read = (key) => __builtin[key];",
    "export default __builtin;",
    ...data.map((key) => `export const ${key} = /* @__PURE__ */ __read(${JSON.stringify(key)});`),
  ].join("\n");
}

const cli = resolve("dist/cli");
const shared = resolve(cli, "io.js");

const plugin = {
  name: "grade",
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => (builtins.has(args.path) ? { path: args.path.replace(/^node:/, ""), namespace: "builtin", sideEffects: false } : undefined));
    build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({ loader: "js", contents: builtinModule(args.path) }));
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      // main.js loads the command modules, each a file of the bundle, when the command runs.
      if (args.importer === resolve(cli, "main.js") && args.kind === "dynamic-import") return { path: `./${basename(target)}`, external: true };
      // One io.js for all (not for io.js itself, the entry).
      if (target === shared && args.importer !== "") return { path: "./io.js", external: true };
      return undefined;
    });
    build.onResolve({ filter: /^tinyglobby$/ }, (args) => (args.kind === "dynamic-import" ? { path: "./tinyglobby.js", external: true } : undefined));
  },
};

/** The command modules main.js imports when a command runs: `import("./check.js")`. */
const commands = [...new Set([...readFileSync("dist/cli/main.js", "utf8").matchAll(/import\("\.\/([\w-]+)\.js"\)/g)].map((m) => m[1]))];

const result = await build({
  entryPoints: {
    main: "dist/cli/main.js",
    io: "dist/cli/io.js",
    tinyglobby: fileURLToPath(import.meta.resolve("tinyglobby")),
    graders: "dist/schema/graders.js",
    "full-parse": "dist/syntax/full-parse.js",
    // The grading threads of `grade eval --workers` (src/eval/workers.ts loads ./worker-main.js).
    "worker-main": "dist/eval/worker-main.js",
    ...Object.fromEntries(commands.map((name) => [name, `dist/cli/${name}.js`])),
  },
  outdir: "dist/bundle",
  bundle: true,
  format: "esm",
  platform: "node",
  // ESM builds first: jsonc-parser's UMD build loads its parts with a require esbuild cannot follow.
  mainFields: ["module", "main"],
  target: "node22",
  external: ["prettier", "openai"],
  logLevel: "warning",
  // decompile.js reads jsonc-parser's `default` only where Node gives it one (CommonJS interop).
  logOverride: { "import-is-undefined": "silent" },
  // `require` for the CommonJS packages that call it (made on first use, without importing node:module).
  banner: {
    js: 'let __gradeRequire; const require = (id) => (__gradeRequire ??= process.getBuiltinModule("node:module").createRequire(import.meta.url))(id);',
  },
  plugins: [plugin],
  // Less text to read and decode at start-up; names are kept (stack traces, `constructor.name`).
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
});

// Remove what earlier builds wrote and this one did not (chunks with hashed names), after this
// one is written (so that a `grade` started meanwhile finds a complete bundle).
const written = new Set(Object.keys(result.metafile.outputs).map((file) => basename(file)));
for (const file of readdirSync("dist/bundle")) if (!written.has(file)) rmSync(`dist/bundle/${file}`, { force: true });
