// Completion offers the keys actually present in the workspace's dataset, named by the `dataset`
// initialization option or by grade.config.json at the workspace root.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type CompletionItem, CompletionRequest } from "vscode-languageserver-protocol/node";
import { cursor, positionOf, startClient } from "./client.js";

async function labels(options: Record<string, unknown>, workspace: string | undefined, textWithCursor: string): Promise<string[]> {
  const client = await startClient({ debounceMs: 20, ...options }, workspace);
  const { text, offset } = cursor(textWithCursor);
  const uri = client.open(path.join(workspace ?? os.tmpdir(), "g.grade"), text);
  await client.diagnostics(uri);
  const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionItem[];
  await client.stop();
  return items.map((i) => i.label).filter((l) => l.startsWith("item."));
}

describe("dataset keys in completion", () => {
  it("from the `dataset` option (grade eval rows: the keys of their items)", async () => {
    const found = await labels({ dataset: "examples/data/cities.jsonl" }, undefined, 'string_check "x" {\n  input: sample.output_text\n  reference: |\n}\n');
    expect(found).toEqual(["item.city", "item.town"]);
  });

  it("from grade.config.json at the workspace root (bare item rows, nested keys)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-ws-"));
    fs.writeFileSync(path.join(dir, "grade.config.json"), JSON.stringify({ dataset: "rows.jsonl" }));
    fs.writeFileSync(path.join(dir, "rows.jsonl"), '{"answer": "a", "meta": {"lang": "en"}}\nnot json\n{"answer": "b", "extra": 1}\n');
    const found = await labels({}, dir, 'score_model "x" {\n  user "{{item.|}}"\n}\n');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(found).toEqual(["item.answer", "item.meta", "item.extra", "item.meta.lang"]);
  });

  it("a declared item shape wins over the dataset", async () => {
    const found = await labels({ dataset: "examples/data/cities.jsonl" }, undefined, 'item {\n  city: string\n}\nstring_check "x" {\n  reference: |\n}\n');
    expect(found).toEqual(["item.city"]);
  });
});
