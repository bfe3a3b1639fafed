import * as fs from "node:fs";
import * as path from "node:path";

/*
 * `file("...")` in a `.grade` file: a path relative to the `.grade` file that must stay inside
 * the project root (no absolute paths, no `..` out of it, no symlink out of it).
 */

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
