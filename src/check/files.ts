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
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
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
    if (!files.exists(target)) return { ok: false, message: `\`${relative}\` does not exist (looked for ${path.relative(process.cwd(), target) || target})` };
    const real = files.realpath(target);
    let realRoot = absRoot;
    try {
      realRoot = files.realpath(absRoot);
    } catch {
      // The root itself may not exist for virtual file systems; compare without resolving it.
    }
    if (!inside(real, realRoot)) {
      return { ok: false, message: `\`${relative}\` is a link to a file outside the project (${real})` };
    }
    if (!files.isFile(real)) return { ok: false, message: `\`${relative}\` is not a file` };
    return { ok: true, text: files.readFile(real), path: real };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: `\`${relative}\` cannot be read${code ? ` (${code})` : ""}` };
  }
}
