import * as fs from "node:fs";
import type { Shape } from "../check/namespaces.js";

/*
 * The keys actually present in a dataset the workspace names (the `dataset` initialization
 * option, or `"dataset"` in a grade.config.json at the workspace root): completion offers them as
 * `item.*` paths. Rows are `grade eval`'s (`{"item": {...}, "sample": ...}`) or bare items (as
 * `grade check --items` reads them). Only the start of the file is read: it is a hint, not a check.
 */

const MAX_BYTES = 1 << 20;
const MAX_ROWS = 1000;

function shapeOfValue(value: unknown, depth: number): Shape {
  if (depth > 4 || value === null || typeof value !== "object") return value === null ? { kind: "scalar", name: "null" } : typeof value === "object" ? { kind: "any" } : { kind: "scalar", name: typeof value };
  if (Array.isArray(value)) return { kind: "list", element: value.length ? shapeOfValue(value[0], depth + 1) : { kind: "any" } };
  const fields = new Map<string, Shape>();
  for (const [k, v] of Object.entries(value)) fields.set(k, shapeOfValue(v, depth + 1));
  return { kind: "object", fields };
}

/** Merges the fields of two object shapes (the first row's shape of a field wins). */
function merge(into: Map<string, Shape>, shape: Shape): void {
  if (shape.kind !== "object") return;
  for (const [k, v] of shape.fields) {
    const known = into.get(k);
    if (!known) into.set(k, v);
    else if (known.kind === "object" && v.kind === "object") {
      const fields = new Map(known.fields);
      merge(fields, v);
      into.set(k, { kind: "object", fields });
    }
  }
}

/** The shape of the items of a JSONL dataset, or undefined when it cannot be read. */
export function datasetItemShape(file: string): Shape | undefined {
  let text: string;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(MAX_BYTES);
      const n = fs.readSync(fd, buffer, 0, MAX_BYTES, 0);
      text = buffer.subarray(0, n).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const fields = new Map<string, Shape>();
  let rows = 0;
  for (const line of text.split("\n")) {
    if (rows >= MAX_ROWS) break;
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      continue; // a malformed (or cut) line: grade eval reports it
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) continue;
    rows++;
    const record = row as Record<string, unknown>;
    const item = typeof record["item"] === "object" && record["item"] !== null && !Array.isArray(record["item"]) && "sample" in record ? record["item"] : record;
    merge(fields, shapeOfValue(item, 0));
  }
  return rows ? { kind: "object", fields } : undefined;
}
