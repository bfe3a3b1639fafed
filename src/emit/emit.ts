import type * as A from "../syntax/ast.js";
import type { FileResult } from "../check/files.js";
import { contentParts } from "../check/rules/invalid-value.js";

/*
 * AST → grader JSON. Runs only on a document the checker passed, so it does not re-validate; it
 * records where each JSON value came from so a schema finding can point back at the source.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface EmitOptions {
  /** Reads a `file()` call's target (the checker already reported failures). */
  readonly readFile: (call: A.CallValue) => FileResult;
  /** Record the spans (default true); compile() asks for them only when they are used. */
  readonly spans?: boolean;
}

export interface Emitted {
  readonly json: JsonObject;
  /** JSON pointer (`/graders/name/input`) → source span; empty when `spans: false`. */
  readonly spans: ReadonlyMap<string, A.Span>;
}

/** Sets a key as an own property, so a key such as `__proto__` is kept like any other. */
function setKey(target: JsonObject, key: string, value: Json): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A JSON pointer segment (RFC 6901): `~` → `~0`, `/` → `~1`. */
const segment = (key: string): string => (key.includes("~") || key.includes("/") ? key.replaceAll("~", "~0").replaceAll("/", "~1") : key);

/** A JSON pointer (RFC 6901): `["graders", "a/b", 0]` → `/graders/a~1b/0`. */
export const jsonPointer = (path: readonly (string | number)[]): string => {
  let out = "";
  for (const p of path) out += `/${segment(String(p))}`;
  return out;
};

const noSpans: ReadonlyMap<string, A.Span> = new Map();

/** What an emission carries along: where to record spans (none: not recording), how to read files. */
interface EmitState {
  readonly spans: Map<string, A.Span> | undefined;
  readonly readFile: (call: A.CallValue) => FileResult;
}

// Paths are JSON pointers, built a segment at a time (only when recording spans). The emitter is
// a set of plain functions, not closures made per grader: compile() runs it once per file.
const note = (e: EmitState, path: string, span: A.Span): void => void e.spans?.set(path, span);
const at = (e: EmitState, path: string, key: string): string => (e.spans ? `${path}/${segment(key)}` : "");
const atIndex = (e: EmitState, path: string, i: number): string => (e.spans ? `${path}/${i}` : "");

function value(e: EmitState, v: A.Value, path: string): Json {
  note(e, path, v.span);
  switch (v.kind) {
    case "StringValue":
      return v.value;
    case "NumberValue":
      return v.value;
    case "BooleanValue":
      return v.value;
    case "NullValue":
      return null;
    case "NameValue":
      return v.name;
    case "PathValue":
      return `{{${v.path}}}`;
    case "ListValue": {
      const out: Json[] = [];
      for (let i = 0; i < v.items.length; i++) out.push(value(e, v.items[i]!, atIndex(e, path, i)));
      return out;
    }
    case "ObjectValue": {
      const out: JsonObject = {};
      for (const entry of v.entries) setKey(out, entry.key.name, value(e, entry.value, at(e, path, entry.key.name)));
      return out;
    }
    case "CallValue":
      if (v.callee.name === "file") {
        const result = e.readFile(v);
        return result.ok ? result.text : null;
      }
      return part(e, v, path);
    case "RangeValue":
    case "ToleranceValue":
      return null;
  }
}

function part(e: EmitState, call: A.CallValue, path: string): Json {
  const name = call.callee.name;
  // Own keys only: a part named like an Object.prototype member (`toString`) is no part.
  const spec = Object.hasOwn(contentParts, name) ? contentParts[name] : undefined;
  const positional = call.args.filter((a) => !a.name);
  const named = call.args.filter((a) => a.name);
  const out: JsonObject = { type: name };
  if (name === "input_audio") {
    const audio: JsonObject = {};
    if (positional[0]) setKey(audio, "data", value(e, positional[0].value, at(e, at(e, path, "input_audio"), "data")));
    const format = named.find((a) => a.name!.name === "format");
    if (format) setKey(audio, "format", value(e, format.value, at(e, at(e, path, "input_audio"), "format")));
    setKey(out, "input_audio", audio);
    for (const arg of named) if (arg.name!.name !== "format") setKey(out, arg.name!.name, value(e, arg.value, at(e, path, arg.name!.name)));
    return out;
  }
  spec?.positional.forEach((key, i) => {
    const arg = positional[i];
    if (arg) setKey(out, key, value(e, arg.value, at(e, path, key)));
  });
  for (const arg of named) setKey(out, arg.name!.name, value(e, arg.value, at(e, path, arg.name!.name)));
  return out;
}

function content(e: EmitState, c: A.Value, path: string): Json {
  if (c.kind === "ListValue") {
    note(e, path, c.span);
    const out: Json[] = [];
    for (let i = 0; i < c.items.length; i++) out.push(content(e, c.items[i]!, atIndex(e, path, i)));
    return out;
  }
  return value(e, c, path);
}

function message(e: EmitState, m: A.Message, path: string): JsonObject {
  note(e, path, m.span);
  note(e, at(e, path, "role"), m.role.span);
  const out: JsonObject = {};
  if (m.typed) setKey(out, "type", "message");
  setKey(out, "role", m.role.name);
  setKey(out, "content", content(e, m.content, at(e, path, "content")));
  return out;
}

function fieldValue(e: EmitState, f: A.FieldValue, path: string): Json {
  switch (f.kind) {
    case "GraderMap": {
      note(e, path, f.span);
      const out: JsonObject = {};
      for (const entry of f.entries) setKey(out, entry.key.name, emit(e, entry.grader, at(e, path, entry.key.name)));
      return out;
    }
    case "Formula":
      note(e, path, f.span);
      return f.text;
    default:
      return value(e, f, path);
  }
}

function emit(e: EmitState, g: A.Grader, path: string): JsonObject {
  note(e, path, g.span);
  note(e, at(e, path, "type"), g.type.span);
  const out: JsonObject = { type: g.type.name };
  if (g.name) {
    setKey(out, "name", g.name.value);
    note(e, at(e, path, "name"), g.name.span);
  }
  const body = g.body;
  if (body.kind === "CompareForm") {
    setKey(out, "input", value(e, body.input, at(e, path, "input")));
    setKey(out, "reference", value(e, body.reference, at(e, path, "reference")));
    setKey(out, "operation", body.operation.name);
    note(e, at(e, path, "operation"), body.operation.span);
  } else if (body.kind === "CallForm") {
    const [input, reference] = body.args;
    if (input) setKey(out, "input", value(e, input, at(e, path, "input")));
    if (reference) setKey(out, "reference", value(e, reference, at(e, path, "reference")));
    setKey(out, "evaluation_metric", body.metric.name);
    note(e, at(e, path, "evaluation_metric"), body.metric.span);
  } else {
    let messages: JsonObject[] | undefined;
    for (const member of body.members) {
      if (member.kind === "Message") {
        const input = at(e, path, "input");
        if (!messages) {
          messages = [];
          setKey(out, "input", messages);
          note(e, input, member.span);
        }
        messages.push(message(e, member, atIndex(e, input, messages.length)));
      } else {
        setKey(out, member.key.name, fieldValue(e, member.value, at(e, path, member.key.name)));
      }
    }
  }
  return out;
}

export function emitGrader(grader: A.Grader, options: EmitOptions): Emitted {
  const spans = options.spans !== false ? new Map<string, A.Span>() : undefined;
  return { json: emit({ spans, readFile: options.readFile }, grader, ""), spans: spans ?? noSpans };
}
