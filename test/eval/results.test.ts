import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { openResults, ResultsError, ResultWriter, RowSet, type Header } from "../../src/eval/results.js";
import type { ResultRecord } from "../../src/eval/summary.js";

let dir: string;
let out: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-results-"));
  out = path.join(dir, "results.jsonl");
});

const header: Header = {
  grade_eval: 1,
  grader: { file: "g.grade", sha256: "a".repeat(64) },
  data: { file: "d.jsonl", sha256: "b".repeat(64), bytes: 100, rows: 5 },
  engine: "local",
};
const line = (row: number) => JSON.stringify({ row, reward: 1, errors: {}, sub_rewards: {} });

async function open(options: { overwrite?: boolean } = {}, wanted: Header = header) {
  const records: ResultRecord[] = [];
  const opened = await openResults(out, wanted, { ...options, onRecord: (r) => records.push(r) });
  return { opened, records };
}

describe("openResults", () => {
  it("a new file gets the header; lines written later follow it", async () => {
    const { opened } = await open();
    const writer = new ResultWriter(opened.fd);
    writer.write(line(2));
    writer.write(line(1));
    writer.close();
    expect(fs.readFileSync(out, "utf8")).toBe(`${JSON.stringify(header)}\n${line(2)}\n${line(1)}\n`);
    expect(opened.resumed).toBe(false);
  });

  it("resumes a file of the same run: its rows are done and counted; new lines are appended", async () => {
    fs.writeFileSync(out, `${JSON.stringify(header)}\n${line(3)}\n${line(1)}\n${line(3)}\n`);
    const { opened, records } = await open();
    expect(opened).toMatchObject({ resumed: true, repaired: false });
    expect([opened.done.has(1), opened.done.has(2), opened.done.has(3)]).toEqual([true, false, true]);
    expect(records.map((r) => r.row)).toEqual([3, 1]);
    const writer = new ResultWriter(opened.fd);
    writer.write(line(2));
    writer.close();
    expect(fs.readFileSync(out, "utf8").trimEnd().split("\n").slice(-1)).toEqual([line(2)]);
  });

  it("cuts off a torn last line (no newline): its row is not done", async () => {
    fs.writeFileSync(out, `${JSON.stringify(header)}\n${line(1)}\n${line(2).slice(0, 10)}`);
    const { opened } = await open();
    expect(opened.repaired).toBe(true);
    expect(opened.done.has(2)).toBe(false);
    fs.closeSync(opened.fd);
    expect(fs.readFileSync(out, "utf8")).toBe(`${JSON.stringify(header)}\n${line(1)}\n`);
  });

  it("a header torn by a kill: the file starts again", async () => {
    fs.writeFileSync(out, JSON.stringify(header).slice(0, 30));
    const { opened } = await open();
    fs.closeSync(opened.fd);
    expect(fs.readFileSync(out, "utf8")).toBe(`${JSON.stringify(header)}\n`);
  });

  it("refuses another grader, other data, the other engine; the file is left as it was", async () => {
    const text = `${JSON.stringify(header)}\n${line(1)}\n${line(2).slice(0, 5)}`;
    const cases: [Header, RegExp][] = [
      [{ ...header, grader: { file: "h.grade", sha256: "c".repeat(64) } }, /holds results of another grader \(g\.grade, sha256 aaaaaaaaaaaa…; this one is cccccccccccc…\)/],
      [{ ...header, data: { ...header.data, sha256: "d".repeat(64) } }, /holds results for other data/],
      [{ ...header, engine: "remote" }, /holds results of the local engine; this run uses the API \(--remote\)/],
    ];
    for (const [wanted, message] of cases) {
      fs.writeFileSync(out, text);
      const error = await open({}, wanted).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResultsError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/give another --out to keep it, or --overwrite to start again$/);
      expect(fs.readFileSync(out, "utf8")).toBe(text);
    }
  });

  it("refuses a file that is not ours, untouched; --overwrite replaces it", async () => {
    fs.writeFileSync(out, '{"some": "data"}\n{"other": 1}');
    await expect(open()).rejects.toThrow(/exists and is not a results file of grade eval/);
    fs.writeFileSync(out, "no newline at all");
    await expect(open()).rejects.toThrow(/is not a results file/);
    expect(fs.readFileSync(out, "utf8")).toBe("no newline at all");
    const { opened } = await open({ overwrite: true });
    fs.closeSync(opened.fd);
    expect(fs.readFileSync(out, "utf8")).toBe(`${JSON.stringify(header)}\n`);
  });

  it("refuses a line in the middle that is no result", async () => {
    fs.writeFileSync(out, `${JSON.stringify(header)}\n${line(1)}\n{"rows": 2}\n${line(3)}\n`);
    await expect(open()).rejects.toThrow(/line 3 of .* is not a result of grade eval/);
  });

  it("refuses a directory and a missing parent directory", async () => {
    out = dir;
    await expect(open()).rejects.toThrow(/is a directory/);
    out = path.join(dir, "missing", "r.jsonl");
    await expect(open()).rejects.toThrow(/cannot write --out .*: no such directory/);
  });
});

describe("ResultWriter", () => {
  it("writes the lines of one turn together, whole, at the end of the turn", async () => {
    const { opened } = await open();
    const writer = new ResultWriter(opened.fd);
    writer.write(line(1));
    writer.write(line(2));
    expect(fs.readFileSync(out, "utf8").split("\n")).toHaveLength(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fs.readFileSync(out, "utf8").endsWith(`${line(1)}\n${line(2)}\n`)).toBe(true);
    writer.close();
  });
});

describe("RowSet", () => {
  it("adds, finds, grows, counts once", () => {
    const set = new RowSet(4);
    expect(set.add(3)).toBe(true);
    expect(set.add(3)).toBe(false);
    expect(set.add(1000)).toBe(true);
    expect([set.has(3), set.has(4), set.has(1000), set.has(1_000_000)]).toEqual([true, false, true, false]);
    expect(set.size).toBe(2);
  });
});
