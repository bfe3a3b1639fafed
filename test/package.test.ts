// The install: what a fresh clone and a user's project get. The tarball itself is installed into a
// scratch project by scripts/consumer-install.sh (run by .ci/run); these checks need no network.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  files: string[];
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
  scripts: Record<string, string>;
  overrides?: unknown;
};
interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockEntry>;
};

/**
 * `*` specs npm cannot be broken by: a range every version satisfies, so a new publish never puts
 * the lock file out of step (unlike a dist-tag such as `latest`, which names the newest version).
 * DefinitelyTyped writes `*` for every dependency of a type package; nothing else may.
 */
const STAR_ALLOWED: Readonly<Record<string, string>> = {
  "node_modules/@types/chai -> @types/deep-eql": "DefinitelyTyped's convention (vitest's @types/chai)",
};

describe("dependencies", () => {
  const installed = Object.entries(lock.packages).filter(([where]) => where !== "");
  const specs = installed.flatMap(([where, entry]) =>
    (["dependencies", "optionalDependencies", "peerDependencies"] as const).flatMap((kind) =>
      Object.entries(entry[kind] ?? {})
        // An optional peer that nothing installs is not part of the tree.
        .filter(([name]) => !(kind === "peerDependencies" && entry.peerDependenciesMeta?.[name]?.optional === true && !isInstalled(name)))
        .map(([name, spec]) => ({ where, name, spec, kind })),
    ),
  );

  it("none is pinned to a dist-tag (latest, next, ...) or to a URL", () => {
    const bad = specs.filter(({ spec }) => /^[a-z][\w.-]*$/i.test(spec.trim()) && !/^v?\d/.test(spec.trim()));
    expect(bad.map(({ where, name, spec }) => `${where} -> ${name}@${spec}`)).toEqual([]);
    const urls = specs.filter(({ spec }) => /^(https?:|git|github:|file:)/.test(spec));
    expect(urls.map(({ where, name, spec }) => `${where} -> ${name}@${spec}`)).toEqual([]);
  });

  it("none says `*` (any version), but the listed type packages", () => {
    const star = specs
      .filter(({ spec }) => ["*", "", "x", "X"].includes(spec.trim()))
      .map(({ where, name }) => `${where} -> ${name}`)
      .filter((key) => STAR_ALLOWED[key] === undefined);
    expect(star).toEqual([]);
  });

  it("our own are pinned to exact versions, and nothing is overridden", () => {
    const all = { ...(pkg as unknown as { dependencies: Record<string, string> }).dependencies, ...pkg.devDependencies };
    expect(Object.entries(all).filter(([, spec]) => !/^\d+\.\d+\.\d+$/.test(spec))).toEqual([]);
    expect(pkg.overrides).toBeUndefined();
  });

  it("no install script runs but our own prepare and the allowed ones (the pinned node, esbuild)", () => {
    const withScripts = installed.filter(([, entry]) => entry.hasInstallScript === true).map(([where]) => where.replace(/^.*node_modules\//, ""));
    expect(withScripts.sort()).toEqual(Object.keys(pkg.allowScripts).sort());
    expect(Object.keys(pkg.scripts).filter((name) => /^(pre|post)?install$/.test(name))).toEqual([]);
    expect(pkg.scripts.prepare).toBe("npm run build");
  });
});

describe("the published files", () => {
  const shipped = (file: string): boolean =>
    file === "README.md" || file === "package.json" || pkg.files.some((entry) => file === entry || file.startsWith(`${entry}/`));

  it("carry everything the README links to", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const targets = localLinks(readme).map((link) => link.split("#")[0]!).filter((target) => target !== "");
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((target) => !shipped(target))).toEqual([]);
  });

  it("carry every export's files (gradelang/promptfoo: promptfoo.js at the root, for promptfoo configs)", () => {
    const exports = (pkg as unknown as { exports: Record<string, string | Record<string, string>> }).exports;
    expect(Object.keys(exports)).toContain("./promptfoo");
    const targets = Object.values(exports).flatMap((entry) => (typeof entry === "string" ? [entry] : Object.values(entry)));
    const missing = targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !shipped(t) || !fs.existsSync(path.join(root, t)));
    expect(missing).toEqual([]);
    expect(fs.readFileSync(path.join(root, "promptfoo.js"), "utf8")).toContain('from "./dist/promptfoo/assertion.js"');
  });

  it("include the LICENSE and WordNet's license beside its data", () => {
    expect(fs.readFileSync(path.join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(fs.readFileSync(path.join(root, "data/WORDNET-LICENSE"), "utf8")).toContain("Princeton University");
    expect(shipped("LICENSE") && shipped("data/WORDNET-LICENSE") && shipped("data/wordnet-3.0.txt")).toBe(true);
  });
});

describe("the documentation's links", () => {
  const pages = ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

  it.each(pages)("%s: every relative link and #anchor resolves", (page) => {
    const text = fs.readFileSync(path.join(root, page), "utf8");
    const broken: string[] = [];
    for (const link of localLinks(text)) {
      const [file, anchor] = link.split("#") as [string, string | undefined];
      const target = file === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      if (!fs.existsSync(path.join(root, target))) {
        broken.push(`${link} (no ${target})`);
        continue;
      }
      if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(fs.readFileSync(path.join(root, target), "utf8")).has(anchor)) {
        broken.push(`${link} (no #${anchor} in ${target})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("the Node runtime", () => {
  it("the clone's devEngines skip npm's engines check of the root (no EBADENGINE on every npx) and need npm ≥ 10.9", () => {
    const devEngines = (pkg as unknown as { devEngines: { runtime: { version: string }; packageManager: { name: string } } }).devEngines;
    expect(devEngines.packageManager.name).toBe("npm");
    expect(devEngines.runtime.version).toMatch(/^>=20/);
    expect(pkg.devDependencies.node).toMatch(/^2[4-9]\./);
  });
});

function isInstalled(name: string): boolean {
  return lock.packages[`node_modules/${name}`] !== undefined;
}

/** Markdown link targets that are not URLs: `[text](target)`, outside code blocks. */
function localLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

/** GitHub's heading anchors, and explicit `id="..."` anchors. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  for (const m of prose.matchAll(/^#+ (.*)$/gm)) {
    anchors.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\- _]/gu, "")
        .replace(/ /g, "-"),
    );
  }
  for (const m of prose.matchAll(/id="([^"]+)"/g)) anchors.add(m[1]!);
  return anchors;
}
