import * as fs from "node:fs";
import * as path from "node:path";
import type { CallValue } from "../syntax/ast.js";

/*
 * `file("...")` in a `.grade` file: a path relative to the `.grade` file that must stay inside
 * the project root (no absolute paths, no `..` out of it, no symlink out of it).
 */

const rootCache = new Map<string, string | null>();

/** The nearest directory from `dir` up that holds `.git` (a file in worktrees), or null. */
function repositoryOf(dir: string): string | null {
  const cached = rootCache.get(dir);
  if (cached !== undefined) return cached;
  const parent = path.dirname(dir);
  const found = fs.existsSync(path.join(dir, ".git")) ? dir : parent === dir ? null : repositoryOf(parent);
  rootCache.set(dir, found);
  return found;
}

/**
 * The project of a `.grade` file, which its `file()` reads may not leave: the git repository it
 * is in (its top directory), so a grader checks the same from any directory of the repository;
 * outside one, the working directory when the file is under it, else the file's own directory.
 * Standard input (no file): the working directory.
 */
export function projectRoot(file: string | undefined, cwd: string = process.cwd()): string {
  if (file === undefined) return cwd;
  const dir = path.dirname(path.resolve(cwd, file));
  return repositoryOf(dir) ?? (inside(dir, cwd) ? cwd : dir);
}

/** How the compiler reads files; the default is the real file system. */
export interface FileAccess {
  readFile(absolutePath: string): string;
  realpath(absolutePath: string): string;
  isFile(absolutePath: string): boolean;
  exists(absolutePath: string): boolean;
}

export const nodeFiles: FileAccess = {
  readFile: (p) => fs.readFileSync(p, "utf8"),
  realpath: (p) => fs.realpathSync(p),
  isFile: (p) => fs.statSync(p).isFile(),
  exists: (p) => fs.existsSync(p),
};

export type FileResult =
  | { readonly ok: true; readonly text: string; readonly path: string }
  | { readonly ok: false; readonly message: string; readonly suggestion?: string };

function inside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  // `..` or `../x` leave the root; `..x` is a name inside it.
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** A path for a message: relative to the working directory when it is under it, else absolute. */
function displayPath(absolute: string): string {
  const rel = path.relative(process.cwd(), absolute);
  return rel !== "" && inside(absolute, process.cwd()) ? rel : absolute;
}

/**
 * Resolves and reads `relative`, written in the `.grade` file `from` (undefined for stdin: the
 * working directory is used), refusing anything outside `root`.
 */
export function readProjectFile(relative: string, from: string | undefined, root: string, files: FileAccess): FileResult {
  if (relative === "") return { ok: false, message: "`file()` needs a path" };
  if (path.isAbsolute(relative) || /^[A-Za-z]:[\\/]/.test(relative)) {
    return { ok: false, message: `\`${relative}\` is an absolute path; file() reads only files inside the project`, suggestion: "write the path relative to the .grade file" };
  }
  const base = from ? path.dirname(path.resolve(from)) : process.cwd();
  const target = path.resolve(base, relative);
  const absRoot = path.resolve(root);
  if (!inside(target, absRoot)) {
    return { ok: false, message: `\`${relative}\` is outside the project (${absRoot})`, suggestion: "keep graders' files inside the project directory" };
  }
  try {
    if (!files.exists(target)) return { ok: false, message: `\`${relative}\` does not exist (looked for ${displayPath(target)})` };
    const real = files.realpath(target);
    let realRoot = absRoot;
    try {
      realRoot = files.realpath(absRoot);
    } catch {
      // The root itself may not exist for virtual file systems; compare without resolving it.
    }
    if (!inside(real, realRoot)) {
      return {
        ok: false,
        message: `\`${relative}\` is a link to a file outside the project (${real})`,
        suggestion: "copy the file into the project instead of linking to it",
      };
    }
    if (!files.isFile(real)) return { ok: false, message: `\`${relative}\` is not a file` };
    return { ok: true, text: files.readFile(real), path: real };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: `\`${relative}\` cannot be read${code ? ` (${code})` : ""}` };
  }
}

/** The target of a `file("...")` call, read under the project's rules, or why it cannot be. */
export function readFileCall(call: CallValue, from: string | undefined, root: string, files: FileAccess): FileResult {
  const arg = call.args[0];
  if (call.args.length !== 1 || !arg || arg.name || arg.value.kind !== "StringValue") {
    return { ok: false, message: '`file()` takes one path string, as in `file("graders/check.py")`' };
  }
  return readProjectFile(arg.value.value, from, root, files);
}
