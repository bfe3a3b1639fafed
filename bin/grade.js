#!/usr/bin/env node
// The `grade` command. Kept tiny: it checks the Node version, turns on the compile cache, and
// loads the CLI.
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(
    `grade: gradelang needs Node.js 22 or newer; this is Node.js ${process.versions.node}.\n` +
      "In a clone of gradelang, `npx grade ...` and `npm run ...` use the pinned Node from node_modules.\n",
  );
  process.exit(2);
}
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
