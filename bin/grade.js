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
// `--version` needs nothing but package.json.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const { readFileSync } = await import("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
  process.exit(0);
}
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
const { main } = await import("../dist/bundle/main.js");
process.exitCode = await main(process.argv.slice(2));
