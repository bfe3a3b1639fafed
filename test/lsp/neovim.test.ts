// End to end with a real editor: Debian's neovim, headless, starting `grade lsp` through its
// built-in LSP client on an example file (.ci/run installs neovim).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../helpers/cli.js";

const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
const haveNvim = nvim.status === 0;

describe.runIf(haveNvim || process.env["CI"])("neovim's LSP client", () => {
  it("gets diagnostics and a completion from grade lsp on an example", () => {
    const example = path.join(root, "examples/reference/guide-name-email-multi.grade");
    const text = fs.readFileSync(example, "utf8");
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes("evaluation_metric: "));
    const character = lines[line]!.indexOf(": ") + 2;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-nvim-"));
    const out = path.join(dir, "result.json");
    const run = spawnSync("nvim", ["--headless", "--clean", "-n", "-c", `luafile ${path.join(root, "test/lsp/fixtures/neovim.lua")}`, example], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        HOME: dir,
        XDG_STATE_HOME: dir,
        XDG_DATA_HOME: dir,
        GRADE_NVIM_OUT: out,
        GRADE_LSP_CMD: JSON.stringify([process.execPath, path.join(root, "bin/grade.js"), "lsp"]),
        GRADE_COMPLETE_LINE: String(line),
        GRADE_COMPLETE_CHARACTER: String(character),
      },
    });
    expect(run.error).toBeUndefined();
    const result = JSON.parse(fs.readFileSync(out, "utf8")) as { diagnostics: { lnum: number; code: string; message: string }[]; completion: string[]; error: string | null };
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.error).toBeNull();
    // The example keeps an RFT-unknown `pass_threshold` and an unnamed multi on purpose, which
    // grade check notes.
    expect(result.diagnostics.map((d) => [d.code, d.lnum]).sort()).toEqual([
      ["missing-name", lines.indexOf("multi {")],
      ["unknown-field", lines.findIndex((l) => /^\s+pass_threshold/.test(l))],
    ]);
    expect(result.completion).toEqual(["cosine", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"]);
  });
});
