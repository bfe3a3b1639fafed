#!/usr/bin/env node
// The `grade` command. Kept tiny: it checks the Node version, turns on the compile cache, and
// loads the bundled CLI (dist/bundle, built by `npm run build`).
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `grade: gradelang needs Node.js 22.12 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      "To run it with a newer Node, any of:\n" +
      "  npm install --save-dev node@24     # pins Node 24 in your project: npx grade and npm scripts use it\n" +
      "  nvm install 24 && nvm use 24       # or: volta install node@24, fnm use 24\n",
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
