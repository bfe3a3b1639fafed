import { jsonOf, testField } from "../../emit/tests.js";
import { sampleFromObject, sampleFromText, type Sample } from "../../engine/sample.js";
import * as A from "../../syntax/ast.js";
import { LineIndex } from "../../syntax/lines.js";
import type { CheckContext, Report, Rule } from "../context.js";
import { modelKinds } from "../kinds.js";
import { compilePath, describeJson, isObject, type JsonObject, lookup, mismatchesOf, typeText } from "../json-match.js";
import { resolvePath } from "../namespaces.js";
import { closest } from "../suggest.js";
import { type PathSegment, printTemplatePath, type TemplateRef } from "../templates.js";

/**
 * A test's `item` and sample must hold every template path its grader reads and fit the declared
 * shapes, since a path they lack is an `invalid_variable_error` that fails the test whatever its
 * reward.
 *
 * Severity: an error, because such a test can never pass (`grade test` fails any run that sets
 * an error flag, so the error cannot be what a test means to check), and an item that does not
 * fit the declared `item` is a row the `--items` check would reject; `grade test` then runs none
 * of the file's tests, as for any error. A sample's `output_json` against a declared `sample`
 * shape is only a warning: a test may feed its grader output the model was told not to produce.
 */
export const testDataRule: Rule = {
  shared: true,
  meta: {
    id: "test-data",
    severity: "error",
    summary:
      "A test whose `item` (or sample) lacks a template path the grader reads (`grade test` would fail it with `invalid_variable_error`), or whose `item` does not fit the declared `item` shape (a warning for a sample against a declared `sample` shape).",
    example: 'string_check "s": sample.output_text eq item.answer\n\ntest "paris" {\n  sample: "Paris"\n  item { answr: "Paris" }\n  expect: 1\n}',
  },
  create: (ctx, report) => ({
    Document(document) {
      // After a syntax error the tests' values may be cut short: nothing to judge them by.
      if (document.tests.length === 0 || !document.grader || ctx.hasSyntaxErrors) return;
      const reads = readsOf(ctx);
      const itemDecl = document.declarations.find((d) => d.namespace.name === "item");
      const outputJsonDecl = document.declarations.find((d) => d.namespace.name === "sample")?.type.fields.find((f) => f.key.name === "output_json");
      if (reads.length === 0 && !itemDecl && !outputJsonDecl) return;
      const checker = new TestChecker(ctx, report);
      for (const test of document.tests) checker.check(test, reads, itemDecl?.type, outputJsonDecl?.type);
    },
  }),
};

/** A template path the grader reads: where, and which sub-grader of a multi reads it. */
interface Read {
  readonly ref: TemplateRef;
  readonly path: string;
  readonly span: A.Span;
  readonly entry: A.GraderEntry | undefined;
}

/**
 * The `item.*` and `sample.*` paths of every template of the grader and its sub-graders, in
 * source order, leaving out those the declared shapes lack (`unknown-variable` reports them on
 * the grader; every test lacking them too would only repeat it).
 */
function readsOf(ctx: CheckContext): Read[] {
  const grader = ctx.document.grader;
  const map = grader ? A.fieldOf(grader, "graders")?.value : undefined;
  const entries = map?.kind === "GraderMap" ? map.entries : [];
  const reads: Read[] = [];
  for (const s of ctx.templateStrings()) {
    const entry = entries.find((e) => e.grader.span.start <= s.node.span.start && s.node.span.end <= e.grader.span.end);
    for (const ref of s.refs) {
      if (ref.namespace !== "item" && ref.namespace !== "sample") continue;
      const shape = ref.namespace === "item" ? ctx.namespaces.item : ctx.namespaces.sample;
      if (shape && resolvePath(ref.namespace, shape, ref.segments, () => undefined)) continue;
      const span = s.node.kind === "PathValue" ? s.node.span : ctx.spanInString(s.node, ref.start, ref.end);
      reads.push({ ref, path: printTemplatePath(ref.namespace, ref.segments), span, entry });
    }
  }
  return reads;
}

/** The keys of a multi's sub-graders that a test's `given` stands in for without running them (all but model graders, which still render their messages). */
function stubbedKeys(test: A.TestBlock): Set<string> {
  const given = testField(test, "given");
  const map = given?.kind === "ObjectValue" ? given : undefined;
  return new Set(map?.entries.map((e) => e.key.name));
}

/** "a", "a and b", "a, b and c". */
function joinAnd(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** The node of a test value at `path` (its last key when given twice, as the JSON keeps it), or the deepest one on the way. */
function nodeAt(root: A.Value, path: readonly PathSegment[]): { node: A.Value; depth: number } {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    let next: A.Value | undefined;
    if (segment.kind === "field" && node.kind === "ObjectValue") next = node.entries.findLast((e) => e.key.name === segment.name)?.value;
    else if (segment.kind === "index" && node.kind === "ListValue") next = node.items[segment.index];
    if (!next) return { node, depth: i };
    node = next;
  }
  return { node, depth: path.length };
}

/** One namespace of one test as the engine will see it, with the source it was written as. */
interface Given {
  readonly namespace: "item" | "sample";
  readonly value: JsonObject;
  /** The test's value it was read from: paths below it are found in it when written there. */
  readonly node: A.Value;
  /** Why `sample.output_json` is null, when the sample is a text that is not JSON. */
  readonly notJson?: string;
}

class TestChecker {
  private lines: LineIndex | undefined;

  constructor(
    private readonly ctx: CheckContext,
    private readonly report: (report: Report) => void,
  ) {}

  private at(span: A.Span): string {
    return (this.lines ??= new LineIndex(this.ctx.text)).label(span.start);
  }

  check(test: A.TestBlock, allReads: readonly Read[], itemType: A.TypeExpr | undefined, outputJsonType: A.TypeExpr | undefined): void {
    // A test of `invalid_variable_error` lacks a path on purpose (the model answered in plain
    // text, no tool call): what is missing is what it tests. Its declared shapes still hold.
    const expected = testField(test, "expect_error");
    if (expected && ((expected.kind === "NameValue" && expected.name === "invalid_variable_error") || (expected.kind === "StringValue" && expected.value === "invalid_variable_error"))) {
      allReads = [];
    }
    const stubbed = stubbedKeys(test);
    const reads = allReads.filter((r) => !r.entry || modelKinds.has(r.entry.grader.type.name) || !stubbed.has(r.entry.key.name));
    const itemReads = reads.filter((r) => r.ref.namespace === "item");
    const sampleReads = reads.filter((r) => r.ref.namespace === "sample");
    const name = test.name.value;

    const itemNode = testField(test, "item");
    if (!itemNode) {
      if (itemReads.length) this.noItem(test, itemReads);
    } else if (itemNode.kind === "ObjectValue") {
      // Not data (a path, a call inside): the `test-block` rule reports it.
      const item = jsonOf(itemNode) as JsonObject | undefined;
      if (item) {
        const given: Given = { namespace: "item", value: item, node: itemNode };
        const failed = this.missingPaths(name, given, itemReads);
        if (itemType) this.mismatches(name, given, itemType, [], failed, "error");
      }
    }

    const sample = this.sampleOf(test);
    if (!sample) return;
    const failed = this.missingPaths(name, sample, sampleReads);
    if (outputJsonType && !sample.notJson && Object.hasOwn(sample.value, "output_json")) {
      this.mismatches(name, sample, outputJsonType, [{ kind: "field", name: "output_json" }], failed, "warning");
    }
  }

  /** A test without `item` whose grader reads `item.*`: one finding naming every path. */
  private noItem(test: A.TestBlock, reads: readonly Read[]): void {
    const first = new Map<string, Read>();
    for (const r of reads) if (!first.has(r.path)) first.set(r.path, r);
    const shown = [...first.values()].slice(0, 4).map((r) => `\`${r.path}\` at ${this.at(r.span)}`);
    const more = first.size - shown.length;
    const keys = [...new Set(reads.flatMap((r) => (r.ref.segments[0]?.kind === "field" ? [r.ref.segments[0].name] : [])))];
    this.report({
      message: `test "${test.name.value}" has no \`item\`, but the grader reads ${more > 0 ? `${shown.join(", ")} and ${more} more` : joinAnd(shown)}`,
      span: test.name.span,
      ...(keys.length ? { suggestion: `give it the dataset row: \`item { ${keys.map((k) => `${k}: ...`).join(", ")} }\`` } : {}),
      related: reads.map((r) => ({ message: `\`${r.path}\` is read here`, span: r.span })),
    });
  }

  /** Each distinct path of `reads` that `given` lacks; returns the paths found missing (printed up to the segment that fails). */
  private missingPaths(name: string, given: Given, reads: readonly Read[]): string[] {
    const byPath = new Map<string, Read[]>();
    for (const r of reads) {
      const list = byPath.get(r.path);
      if (list) list.push(r);
      else byPath.set(r.path, [r]);
    }
    const failed: string[] = [];
    for (const [path, uses] of byPath) {
      const segments = uses[0]!.ref.segments;
      const missing = lookup(given.value, compilePath(segments));
      if (!missing) continue;
      const before = segments.slice(0, missing.at);
      const segment = segments[missing.at]!;
      failed.push(printTemplatePath(given.namespace, segments.slice(0, missing.at + 1)));
      const parentPath = printTemplatePath(given.namespace, before);
      const found = nodeAt(given.node, before);
      let span = found.node.span;
      let help: Pick<Report, "suggestion" | "replacement"> = {};
      let reason = "";
      if (segment.kind === "field" && isObject(missing.parent)) {
        const near = closest(segment.name, Object.keys(missing.parent));
        const entry = found.depth === before.length && found.node.kind === "ObjectValue" && near !== undefined ? found.node.entries.findLast((e) => e.key.name === near) : undefined;
        const declared = this.ctx.document.declarations.some((d) => d.namespace.name === given.namespace);
        if (entry && !declared) {
          // No declaration says which spelling is right: the grader's path may be the typo (the
          // test's data correct), so both are named and nothing is renamed for the user.
          const meant = printTemplatePath(given.namespace, [...before, { kind: "field", name: near! }]);
          span = entry.key.span;
          help = {
            suggestion: `the test's ${given.namespace} has \`${near}\`: if the grader means \`${meant}\`, fix its template at ${this.at(uses[0]!.span)}; else rename \`${near}\` to \`${segment.name}\` here`,
          };
        } else if (entry) {
          span = entry.key.span;
          help = { suggestion: `did you mean \`${segment.name}\`?`, replacement: segment.name };
        } else if (near !== undefined) {
          help = { suggestion: `the test's ${given.namespace} has \`${printTemplatePath(given.namespace, [...before, { kind: "field", name: near }])}\` instead` };
        } else {
          help = { suggestion: `add \`${segment.name}: ...\` to ${before.length ? `\`${parentPath}\`` : `the test's ${given.namespace}`}` };
        }
      } else if (given.notJson && missing.parent === null && parentPath === "sample.output_json") {
        reason = ` (${given.notJson}, so \`sample.output_json\` is null)`;
        // The text that is not JSON: the sample, or its `output_text`.
        const text = given.node.kind === "ObjectValue" ? given.node.entries.findLast((e) => e.key.name === "output_text") : undefined;
        if (text) span = text.value.span;
      } else if (segment.kind === "index" && Array.isArray(missing.parent)) {
        const n = missing.parent.length;
        reason = ` (\`${parentPath}\` ${n === 0 ? "is empty" : `has ${n} item${n === 1 ? "" : "s"}`})`;
      } else {
        reason = ` (\`${parentPath}\` is ${describeJson(missing.parent)}${segment.kind === "index" ? ", not a list" : ""})`;
      }
      const first = uses[0]!;
      const reader = first.entry ? `the sub-grader \`${first.entry.key.name}\`` : "the grader";
      const others = uses.length - 1;
      this.report({
        message: `test "${name}": \`${path}\` is missing from its ${given.namespace}${reason}; ${reader} reads it at ${this.at(first.span)}${others ? ` (and ${others} more place${others === 1 ? "" : "s"})` : ""}`,
        span,
        ...help,
        related: uses.map((r) => ({ message: `\`${path}\` is read here`, span: r.span })),
      });
    }
    return failed;
  }

  /** Where the value at `path` of `given` does not fit `type`, except where a missing path was already reported. */
  private mismatches(name: string, given: Given, type: A.TypeExpr, path: PathSegment[], failed: readonly string[], severity: "error" | "warning"): void {
    let value: unknown = given.value;
    for (const s of path) value = isObject(value) && s.kind === "field" ? value[s.name] : undefined;
    const covered = (printed: string): boolean => failed.some((f) => f === printed || f.startsWith(`${printed}.`) || f.startsWith(`${printed}[`));
    for (const m of mismatchesOf(value, type, path)) {
      const printed = printTemplatePath(given.namespace, m.path);
      if (covered(printed)) continue;
      if (m.kind === "missing") {
        const parent = nodeAt(given.node, m.path.slice(0, -1)).node;
        this.report({
          severity,
          message: `test "${name}": declared \`${printed}\` is missing from its ${given.namespace}`,
          span: parent.span,
          suggestion: `add it, or mark it optional in the \`${given.namespace}\` block (\`${m.field.key.name}?: ...\`)`,
          related: [{ message: `\`${printed}\` is declared here`, span: m.field.key.span }],
        });
      } else {
        const what = describeJson(m.value, m.type);
        const example = what === "another string" ? ` (${JSON.stringify(m.value).slice(0, 60)})` : "";
        const found = nodeAt(given.node, m.path);
        this.report({
          severity,
          message: `test "${name}": \`${printed}\` is declared \`${typeText(m.type, this.ctx.text)}\` but is ${what}${example}`,
          span: found.depth === m.path.length ? found.node.span : given.node.span,
          related: [{ message: `\`${printed}\` is declared here`, span: m.type.span }],
        });
      }
    }
  }

  /** The test's sample as the engine builds it (src/engine/sample.ts), when it is data. */
  private sampleOf(test: A.TestBlock): Given | undefined {
    const node = testField(test, "sample");
    if (!node) return undefined;
    if (node.kind === "StringValue" || node.kind === "NameValue") {
      const sample: Sample = sampleFromText(node.kind === "StringValue" ? node.value : node.name);
      return { namespace: "sample", value: sample, node, ...(sample.output_json === null ? { notJson: "the sample is not JSON" } : {}) };
    }
    if (node.kind !== "ObjectValue") return undefined;
    const json = jsonOf(node);
    if (!isObject(json)) return undefined;
    const built = sampleFromObject(json);
    if (!built.ok) return undefined; // the `test-block` rule reports it
    const notJson = !Object.hasOwn(json, "output_json") && built.sample.output_json === null ? "its output text is not JSON" : undefined;
    return { namespace: "sample", value: built.sample, node, ...(notJson ? { notJson } : {}) };
  }
}
