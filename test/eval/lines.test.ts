import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readLines, scanData } from "../../src/eval/lines.js";
import { isBlank, parseRow } from "../../src/eval/rows.js";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-lines-"));
});
const write = (name: string, content: string | Buffer): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const all = async (file: string, max?: number) => {
  const out: { line: number; text: string | undefined }[] = [];
  for await (const line of readLines(file, max)) out.push(line);
  return out;
};

describe("scanData", () => {
  it("counts rows (lines with content), lines and bytes, and hashes the file", async () => {
    const file = write("a.jsonl", '{"a":1}\n\n  \r\n{"b":2}\r\n{"c":3}');
    const scan = await scanData(file);
    expect(scan).toMatchObject({ rows: 3, lines: 5, bytes: fs.statSync(file).size });
    expect(scan.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await scanData(write("b.jsonl", '{"a":1}\n\n  \r\n{"b":2}\r\n{"c":4}'))).sha256).not.toBe(scan.sha256);
  });

  it("an empty file, a BOM, a trailing newline", async () => {
    expect(await scanData(write("empty.jsonl", ""))).toMatchObject({ rows: 0, lines: 0, bytes: 0 });
    expect(await scanData(write("bom.jsonl", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n')])))).toMatchObject({ rows: 1, lines: 1 });
    expect(await scanData(write("nl.jsonl", '{"a":1}\n{"a":2}\n'))).toMatchObject({ rows: 2, lines: 2 });
  });

  it("counts across chunk boundaries (a file of many 64 kB chunks)", async () => {
    const line = JSON.stringify({ sample: "x".repeat(1000), item: { n: 1 } });
    const rows = 300;
    const file = write("big.jsonl", Array.from({ length: rows }, () => line).join("\n\n") + "\n");
    const scan = await scanData(file);
    expect(scan.rows).toBe(rows);
    expect(scan.lines).toBe(rows * 2 - 1);
  });
});

describe("readLines", () => {
  it("numbers lines from 1, strips \\r and the BOM, keeps a last line without newline", async () => {
    const file = write("l.jsonl", "\uFEFFone\r\ntwo\n\nthree");
    expect(await all(file)).toEqual([
      { line: 1, text: "one" },
      { line: 2, text: "two" },
      { line: 3, text: "" },
      { line: 4, text: "three" },
    ]);
  });

  it("a line longer than the limit is dropped (text undefined) and the next lines keep their numbers", async () => {
    const file = write("long.jsonl", `short\n${"y".repeat(200_000)}\nafter\n${"z".repeat(50)}`);
    expect(await all(file, 100)).toEqual([
      { line: 1, text: "short" },
      { line: 2, text: undefined },
      { line: 3, text: "after" },
      { line: 4, text: "z".repeat(50) },
    ]);
    expect((await all(write("long-end.jsonl", `a\n${"y".repeat(300)}`), 100)).at(-1)).toEqual({ line: 2, text: undefined });
  });

  it("multi-byte characters split across chunks are decoded whole", async () => {
    const text = "é".repeat(70_000);
    const file = write("utf8.jsonl", `${text}\nok\n`);
    const lines = await all(file);
    expect(lines[0]!.text).toBe(text);
    expect(lines[1]).toEqual({ line: 2, text: "ok" });
  });
});

describe("parseRow", () => {
  it("a text sample: the local engine's sample, the API's text", () => {
    const local = parseRow('{"item": {"city": "Paris"}, "sample": "Off to Paris", "id": "r1"}', "local");
    expect(local).toMatchObject({ ok: true, item: { city: "Paris" }, id: "r1", text: undefined });
    if (local.ok) expect(local.sample?.output_text).toBe("Off to Paris");
    expect(parseRow('{"sample": "Paris"}', "remote")).toMatchObject({ ok: true, text: "Paris", sample: undefined, item: undefined });
  });

  it("a sample object: every field locally; only output_text for the API, the rest named", () => {
    const local = parseRow('{"sample": {"output_json": {"a": 1}}}', "local");
    expect(local.ok && local.sample?.output_text).toBe('{"a":1}');
    expect(parseRow('{"sample": {"output_text": "hi", "output_tools": []}}', "remote")).toMatchObject({ ok: true, text: "hi", dropped: ["output_tools"] });
    expect(parseRow('{"sample": {"output_json": {"a": 1}}}', "remote")).toEqual({
      ok: false,
      message: "with --remote the sample is sent as text (model_sample): give a string, or an object with `output_text`",
    });
  });

  it("item null is no item; unknown keys are listed", () => {
    expect(parseRow('{"sample": "x", "item": null, "itme": {}}', "local")).toMatchObject({ ok: true, item: undefined, unknownKeys: ["itme"] });
  });

  it("malformed rows say why", () => {
    const message = (text: string) => {
      const r = parseRow(text, "local");
      return r.ok ? "ok" : r.message;
    };
    expect(message("{nope")).toMatch(/^not valid JSON \(.+\)$/);
    expect(message("hello")).toBe("not valid JSON (unexpected `h`)");
    expect(message("[1, 2]")).toBe('a row must be a JSON object {"item": ..., "sample": ...}, not a list');
    expect(message('{"item": {}}')).toMatch(/^`sample` is missing/);
    expect(message('{"sample": 3}')).toBe("`sample` must be the output text (a string) or an object of sample fields, not a number");
    expect(message('{"sample": "x", "item": "Paris"}')).toBe("`item` must be a JSON object (the dataset row), not a string");
    expect(message('{"sample": {"output_text": 3}}')).toBe("`output_text` in the sample must be a string, not a number");
  });

  it("isBlank", () => {
    expect(isBlank("")).toBe(true);
    expect(isBlank(" \t\r")).toBe(true);
    expect(isBlank(" {}")).toBe(false);
  });
});
