import { isUtf8 } from "node:buffer";
import * as fs from "node:fs";
import * as path from "node:path";
import { createColors } from "picocolors";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** A `.grade` input: a file, or `-` for standard input. */
export interface Input {
  /** As shown to users: a path relative to the working directory, or `<stdin>`. */
  readonly label: string;
  /** Absolute path; undefined for stdin. */
  readonly path: string | undefined;
  /** The directory argument it was found under (to mirror the tree in `-o dir`). */
  readonly base: string | undefined;
}

export class UsageError extends Error {}

/**
 * Expands file and directory arguments (directories: every `**\/*<extension>` under them, sorted;
 * `.grade` unless the command reads JSON).
 */
export async function expandInputs(args: readonly string[], extension: ".grade" | ".json" = ".grade"): Promise<Input[]> {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    if (arg === "-") {
      inputs.push({ label: "<stdin>", path: undefined, base: undefined });
      continue;
    }
    // `""` (an unset shell variable, say) would resolve to the working directory and check all of it.
    if (arg.trim() === "") throw new UsageError("an empty path names no file: give a .grade file, a directory or -");
    const abs = path.resolve(arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (error) {
      throw new UsageError(`cannot read \`${arg}\`: ${describeIoError(error)}`);
    }
    if (stat.isDirectory()) {
      const { glob } = await import("tinyglobby");
      const ignore = ["**/node_modules/**", "**/.git/**"];
      const found = (await glob(`**/*${extension}`, { cwd: abs, ignore })).sort();
      if (found.length === 0) {
        // A folder of JSON graders given to a command that looks for .grade files: say what to do.
        const json = extension === ".grade" ? (await glob("**/*.json", { cwd: abs, ignore })).length : 0;
        throw new UsageError(
          json > 0
            ? `no .grade files under \`${arg}\`, but ${json} .json file${json === 1 ? "" : "s"}: name JSON graders one by one (\`${path.join(arg, "*.json")}\`), or turn them into .grade files with \`grade decompile ${arg} -o <dir>\``
            : `no ${extension} files under \`${arg}\``,
        );
      }
      for (const rel of found) {
        const file = path.join(abs, rel);
        if (seen.has(file)) continue;
        seen.add(file);
        inputs.push({ label: path.relative(process.cwd(), file) || file, path: file, base: abs });
      }
    } else if (!seen.has(abs)) {
      seen.add(abs);
      inputs.push({ label: path.relative(process.cwd(), abs) || abs, path: abs, base: undefined });
    }
  }
  return inputs;
}

export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return code ?? String((error as Error).message ?? error);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface Source {
  readonly text: string;
  /** A finding about the bytes themselves (not UTF-8). */
  readonly encoding: Diagnostic | undefined;
}

/** Reads an input as UTF-8; invalid bytes become U+FFFD and one `syntax` finding at the first. */
export async function readInput(input: Input): Promise<Source> {
  let bytes: Buffer;
  try {
    bytes = input.path === undefined ? await readStdin() : fs.readFileSync(input.path);
  } catch (error) {
    throw new UsageError(`cannot read \`${input.label}\`: ${describeIoError(error)}`);
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  if (isUtf8(bytes)) return { text, encoding: undefined };
  const at = Math.max(0, text.indexOf("\uFFFD"));
  return {
    text,
    encoding: {
      rule: "syntax",
      severity: "error",
      message: "this file is not valid UTF-8; the first bad byte is here",
      file: input.label,
      span: { start: at, end: at + 1 },
      suggestion: "save the file as UTF-8",
    },
  };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  if (process.env["FORCE_COLOR"] !== undefined && process.env["FORCE_COLOR"] !== "0") return true;
  return stream.isTTY === true;
}

export function colors(stream: NodeJS.WriteStream) {
  return createColors(useColor(stream));
}
