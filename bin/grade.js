#!/usr/bin/env node
// The `grade` command. Kept tiny: it checks the Node version, turns on the compile cache, and
// loads the bundled CLI (dist/bundle, built by `npm run build`).
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(
    `grade: gradelang needs Node.js 22 or newer; this is Node.js ${process.versions.node}.\n` +
      "In a clone of gradelang, `npx grade ...` and `npm run ...` use the pinned Node from node_modules.\n",
  );
  process.exit(2);
}
// Built-in modules through getBuiltinModule, not `import`: an ES import of a built-in makes Node
// build its module facade, which reads every export and so loads what their lazy getters hold.
const builtin = async (name) => process.getBuiltinModule?.(name) ?? (await import(name));
// `--version` needs nothing but package.json.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const { readFileSync } = await builtin("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
  process.exit(0);
}
// The compile cache (V8 code of the bundle, kept under the OS temporary directory, or
// NODE_COMPILE_CACHE) saves compiling it on every run. It is an optimisation only: where it cannot
// be written (a read-only temporary directory, say) Node goes on without it, and so does grade.
try {
  (await builtin("node:module")).enableCompileCache?.();
} catch {
  // no cache: slower, not wrong
}
const { main } = await import("../dist/bundle/main.js");
process.exitCode = await main(process.argv.slice(2));
