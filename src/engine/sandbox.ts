/*
 * Where python graders run: inside a bubblewrap sandbox on Linux when `bwrap` works here, else
 * unsandboxed with a scrubbed environment (the fallback). This module decides which, once per
 * interpreter, and builds the command line; python.ts and python-worker.ts spawn it.
 *
 * The sandbox (bubblewrap, the tool Flatpak uses; Debian package `bubblewrap`):
 *  - new pid, network, ipc, uts and (when possible) cgroup namespaces: no network at all, no view
 *    of the host's processes, and every process of the grader dies with the sandbox's pid 1;
 *  - a root of its own: read-only binds of /usr (and /lib*, /bin, /sbin when they are real
 *    directories), the dynamic loader's cache, /etc/python3*, and the interpreter's own prefixes
 *    and `sys.path` entries (a venv, a pyenv install); nothing else of the host: no /etc/passwd,
 *    no home directory, no project;
 *  - a private writable /tmp (tmpfs) capped at 1 GB, also the working directory and $HOME;
 *  - a minimal environment (PATH, LANG, HOME, TMPDIR): never the parent's;
 *  - `--die-with-parent` and `--new-session`;
 *  - as root, no user namespace (root needs none) and the driver drops to uid/gid 65534 before it
 *    reads the grader: a host root is exempt from RLIMIT_NPROC, uid 65534 is not.
 * The driver then sets the limits (python.ts: address space, processes, file size, core dumps;
 * soft and hard, so a grader cannot raise them).
 *
 * The fallback (macOS, Windows, Linux without bwrap or user namespaces, or `sandbox: "off"`): the
 * same driver and limits where the OS has them, an environment reduced to an allow-list (no keys,
 * no tokens), and on Linux the driver made a child subreaper so that the timeout kills every
 * descendant (python.ts `killTree`). No filesystem or network isolation.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve, sep } from "node:path";

/** `auto` (default): the sandbox when it works here, else the fallback; `off`: always the fallback. */
export type SandboxMode = "auto" | "off";

/** Size of the sandbox's private /tmp. */
export const SANDBOX_TMP_BYTES = 1024 ** 3;
/** Processes (threads included) a grader may have at once. */
export const PROCESS_LIMIT = 512;
/** The uid/gid the driver drops to inside a sandbox started by root. */
export const NOBODY = 65534;

export interface Launch {
  /** The program to spawn (bwrap, or the interpreter), and the arguments before `-I -c <driver>`. */
  readonly command: string;
  readonly prefix: readonly string[];
  /** The interpreter. */
  readonly python: string;
  /** Arguments after the driver (sys.argv[1:] in the driver). */
  readonly driverArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly sandboxed: boolean;
  /** Why there is no sandbox (fallback only). */
  readonly reason?: string;
  /** The interpreter could not be probed (missing, broken). */
  readonly unrunnable?: boolean;
}

/** What is enforced where python graders run, for notices and `grade serve`. */
export interface SandboxStatus {
  readonly sandboxed: boolean;
  /** False when the interpreter cannot even start (nothing runs: graders report python_not_found). */
  readonly runnable: boolean;
  /** One line for users: what holds, and what does not. */
  readonly notice: string;
}

interface Probe {
  executable: string;
  dirs: string[];
}

/** Environment variables kept in the fallback: nothing secret, what interpreters need to start. */
const FALLBACK_ENV = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP", "HOME", "USERPROFILE", "SYSTEMROOT", "SystemRoot", "WINDIR", "COMSPEC", "PATHEXT"];

/** The fallback's environment: the allow-listed variables of `env`, nothing else. */
export function scrubbedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FALLBACK_ENV) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  out["PYTHONIOENCODING"] = "utf-8";
  return out;
}

const SANDBOX_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  HOME: "/tmp",
  TMPDIR: "/tmp",
  PYTHONIOENCODING: "utf-8",
};

const PROBE = "import json, os, sys; print(json.dumps({'executable': sys.executable, 'dirs': [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(os.path.realpath(sys.executable))] + [p for p in sys.path if p]}))";

function findOnPath(program: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Asks the interpreter where it lives (no grader code runs). `undefined` if it cannot be run. */
function probe(python: string): Probe | undefined {
  // The scrubbed environment plus what a pyenv or asdf shim needs to find the real interpreter,
  // whose path is what gets spawned from now on (no grader code runs here, but an install's
  // sitecustomize does: it gets no secrets either).
  const env = scrubbedEnv();
  for (const [name, value] of Object.entries(process.env)) if (/^(PYENV|ASDF)_/.test(name) && value !== undefined) env[name] = value;
  const r = spawnSync(python, ["-I", "-c", PROBE], { encoding: "utf8", timeout: 60_000, windowsHide: true, env });
  if (r.status !== 0 || typeof r.stdout !== "string") return undefined;
  try {
    const value = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Probe;
    if (typeof value.executable !== "string" || !value.executable || !Array.isArray(value.dirs)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The directories to bind read-only for the interpreter: existing, outside /usr, never "/", home or the project. */
function pythonBinds(found: Probe, cwd: string): string[] {
  const home = homedir();
  const dirs: string[] = [];
  for (const raw of [...found.dirs, dirname(found.executable)]) {
    let dir: string;
    try {
      dir = realpathSync(resolve(raw));
    } catch {
      continue;
    }
    if (dir === "/" || dir === home || isUnder(cwd, dir)) continue;
    if (["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin"].some((std) => isUnder(dir, std))) continue;
    dirs.push(dir);
  }
  // Outermost first; a directory inside another bound one is already visible.
  dirs.sort((a, b) => a.length - b.length);
  return dirs.filter((d, i) => !dirs.slice(0, i).some((outer) => isUnder(d, outer)));
}

/** The bwrap arguments before `--`, for an interpreter found at `found`. */
export function bwrapArgs(found: Probe, asRoot: boolean, cwd: string): string[] {
  const args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];
  // Root needs no user namespace to mount; inside one a host root would stay exempt from RLIMIT_NPROC.
  if (asRoot) args.push("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID");
  else args.push("--unshare-user");
  args.push("--die-with-parent", "--new-session", "--hostname", "sandbox");
  args.push("--ro-bind", "/usr", "/usr");
  for (const top of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let st;
    try {
      st = lstatSync(top);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(top), top);
    else if (st.isDirectory()) args.push("--ro-bind", top, top);
  }
  for (const file of ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/alternatives"]) {
    args.push("--ro-bind-try", file, file);
  }
  try {
    for (const name of readdirSync("/etc")) if (/^python\d/.test(name)) args.push("--ro-bind", `/etc/${name}`, `/etc/${name}`);
  } catch {
    /* no /etc listing */
  }
  args.push("--proc", "/proc", "--dev", "/dev");
  // /tmp before the interpreter's binds: a venv under the host's /tmp is bound on top of it.
  args.push("--perms", "1777", "--size", String(SANDBOX_TMP_BYTES), "--tmpfs", "/tmp");
  const made = new Set<string>(["/", "/usr", "/etc", "/tmp"]);
  for (const dir of pythonBinds(found, cwd)) {
    // Parents made by bwrap would be 0700 (unreadable once the driver drops to uid 65534).
    const parents: string[] = [];
    for (let p = dirname(dir); !made.has(p) && p !== dirname(p); p = dirname(p)) parents.unshift(p);
    for (const p of parents) {
      args.push("--perms", "0755", "--dir", p);
      made.add(p);
    }
    args.push("--ro-bind", dir, dir);
    made.add(dir);
  }
  args.push("--chdir", "/tmp", "--clearenv");
  for (const [name, value] of Object.entries(SANDBOX_ENV)) args.push("--setenv", name, value);
  return args;
}

const launches = new Map<string, Launch>();

function fallback(python: string, reason: string): Launch {
  const linux = process.platform === "linux";
  return {
    command: python,
    prefix: [],
    python,
    driverArgs: linux ? ["--subreaper", "--relative-nproc"] : [],
    env: scrubbedEnv(),
    sandboxed: false,
    reason,
  };
}

/**
 * How to start `python` for graders (decided once per interpreter and mode, then cached). Runs the
 * interpreter once to find its files, and bwrap once to prove the sandbox starts here.
 */
export function launchFor(python: string, mode: SandboxMode = "auto"): Launch {
  const key = `${mode}\0${python}`;
  const known = launches.get(key);
  if (known) return known;
  const launch = decide(python, mode);
  launches.set(key, launch);
  return launch;
}

function decide(python: string, mode: SandboxMode): Launch {
  const found = probe(python);
  // An interpreter that cannot even start: spawn it as asked, so the caller reports why.
  if (!found) return { ...fallback(python, `the python interpreter ${python} could not be started`), unrunnable: true };
  const exe = found.executable;
  if (mode === "off") return fallback(exe, "the sandbox is turned off");
  if (process.platform !== "linux") return fallback(exe, `bubblewrap is Linux-only (this is ${process.platform})`);
  const bwrap = findOnPath("bwrap");
  if (!bwrap) return fallback(exe, "bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)");
  const asRoot = process.getuid?.() === 0;
  const prefix = [...bwrapArgs(found, asRoot, process.cwd()), "--"];
  const driverArgs = asRoot ? ["--drop-to", String(NOBODY)] : [];
  // Prove it starts here (user namespaces may be disabled, or a container may forbid mounts).
  const test = spawnSync(bwrap, [...prefix, exe, "-I", "-c", "import sys, os; sys.exit(0 if not os.path.exists('/etc/passwd') else 3)"], {
    encoding: "utf8",
    timeout: 60_000,
    env: {},
  });
  if (test.status !== 0) {
    const why = (test.stderr ?? "").trim().split("\n").pop() || (test.error ? test.error.message : `exit ${String(test.status ?? test.signal)}`);
    return fallback(exe, `bwrap cannot start a sandbox here (${why.slice(0, 200)})`);
  }
  return { command: bwrap, prefix: [...prefix, exe], python: exe, driverArgs, env: {}, sandboxed: true };
}

/** What holds for python graders run with `python` and `mode`, in one line. */
export function sandboxStatus(python = "python3", mode: SandboxMode = "auto"): SandboxStatus {
  const launch = launchFor(python, mode);
  if (launch.sandboxed) {
    return {
      sandboxed: true,
      runnable: true,
      notice: "python graders run in a bubblewrap sandbox: no network, read-only system files only, private 1 GB /tmp, minimal environment, 2 GB memory, process and time limits",
    };
  }
  const limits =
    process.platform === "linux"
      ? "memory, process count and time limits and a scrubbed environment hold"
      : process.platform === "win32"
        ? "only the time limit and a scrubbed environment hold"
        : "the time limit, process count and a scrubbed environment hold (memory is not enforced on macOS)";
  return {
    sandboxed: false,
    runnable: launch.unrunnable !== true,
    notice: `python graders run WITHOUT a sandbox (${launch.reason ?? "unavailable"}): ${limits}; files, network and processes of this machine are reachable`,
  };
}

/** For tests: forget what was decided. @internal */
export function resetSandboxCache(): void {
  launches.clear();
}
