import { createRequire } from "node:module";

/** The package's version, from package.json (two levels up from dist/cli and dist/bundle). */
export function packageVersion(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}
