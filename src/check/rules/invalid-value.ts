import type { CallValue, Field, Grader, Node, ObjectEntry, Value } from "../../syntax/ast.js";
import { fieldOf, fieldsOf } from "../../syntax/ast.js";
import { describeValue } from "../../syntax/describe.js";
import type { CheckContext, Report, Rule } from "../context.js";
import { fieldsOfKind, isGraderKind, modelKinds, targetsWithField } from "../kinds.js";
import { didYouMean, listOf } from "../suggest.js";

/** Content parts and their positional arguments, as `.grade` writes them. */
export const contentParts: Readonly<Record<string, { readonly positional: readonly string[]; readonly named: readonly string[] }>> = {
  input_text: { positional: ["text"], named: ["prompt_cache_breakpoint"] },
  output_text: { positional: ["text"], named: [] },
  input_image: { positional: ["image_url"], named: ["detail", "file_id"] },
  input_audio: { positional: ["data"], named: ["format"] },
};

function number(value: Value): number | undefined {
  return value.kind === "NumberValue" ? value.value : undefined;
}

const isString = (value: Value): boolean => value.kind === "StringValue" || value.kind === "NameValue" || value.kind === "PathValue";

/** Present: the parser leaves a value out when it recovers from a syntax error (already reported). */
const present = <T>(value: T | undefined): value is T => value !== undefined && value !== null;

function checkSampling(entry: ObjectEntry, report: (r: Report) => void): void {
  const v = entry.value;
  if (!present(v) || v.kind === "NullValue" || v.kind === "RangeValue" || v.kind === "ToleranceValue") return; // the latter two are reported as such
  const n = number(v);
  const name = entry.key.name;
  const needNumber = (): void => report({ message: `\`${name}\` must be a number, not ${describeValue(v)}`, span: v.span });
  const raw = v.kind === "NumberValue" ? v.raw : String(n);
  switch (name) {
    case "temperature":
      if (n === undefined) needNumber();
      else if (n < 0 || n > 2) report({ message: `\`temperature\` must be between 0 and 2, not ${raw}`, span: v.span });
      break;
    case "top_p":
      if (n === undefined) needNumber();
      else if (n < 0 || n > 1) report({ message: `\`top_p\` must be between 0 and 1, not ${raw}`, span: v.span });
      break;
    case "seed":
      if (n === undefined || !Number.isInteger(n)) report({ message: `\`seed\` must be an integer, not ${n === undefined ? describeValue(v) : raw}`, span: v.span });
      break;
    case "max_completions_tokens":
      if (n === undefined || !Number.isInteger(n) || n < 1) {
        report({ message: `\`max_completions_tokens\` must be an integer of at least 1, not ${n === undefined ? describeValue(v) : raw}`, span: v.span });
      }
      break;
    default:
      break;
  }
}

function checkPart(content: CallValue, report: (r: Report) => void): void {
  const name = content.callee.name;
  // Own keys only: `toString` or `constructor` is no content part.
  const part = Object.hasOwn(contentParts, name) ? contentParts[name] : undefined;
  if (!part) {
    report({
      message: `\`${name}\` is not a content part; the parts are ${listOf(Object.keys(contentParts))}`,
      span: content.callee.span,
      ...didYouMean(name, Object.keys(contentParts)),
    });
    return;
  }
  const positional = content.args.filter((a) => !a.name);
  // `input_text(text: "...")`: the positional argument written with its JSON key.
  const namedPositional = content.args.filter((a) => a.name && part.positional.includes(a.name.name));
  const filledByName = namedPositional.length > 0 && positional.length + namedPositional.length === part.positional.length;
  if (positional.length !== part.positional.length && !filledByName) {
    report({
      message: `\`${name}\` takes ${part.positional.length} unnamed argument (its ${part.positional.join(", ")}), not ${positional.length}`,
      span: content.span,
    });
  }
  positional.slice(0, part.positional.length).forEach((arg, i) => {
    if (present(arg.value) && !isString(arg.value) && !isFileCall(arg.value)) report({ message: `the ${part.positional[i]} of \`${name}\` must be a string, not ${describeValue(arg.value)}`, span: arg.value.span });
  });
  if (name === "input_audio" && !content.args.some((a) => a.name?.name === "format")) {
    report({ message: "`input_audio` needs `format: mp3` or `format: wav`", span: content.span, suggestion: "add `format: mp3` or `format: wav`" });
  }
  for (const arg of content.args) {
    if (!arg.name) continue;
    if (arg.name.name === "type") {
      report({ message: `\`type\` is given by the part itself; remove it`, span: arg.span });
    } else if (part.positional.includes(arg.name.name)) {
      report(
        filledByName
          ? { message: `\`${name}\` takes its ${arg.name.name} without a name: write \`${name}(...)\`, not \`${name}(${arg.name.name}: ...)\``, span: arg.name.span }
          : { message: `the ${arg.name.name} of \`${name}\` is its unnamed argument; remove \`${arg.name.name}:\``, span: arg.span },
      );
    }
  }
}

/** `file("...")`: a string read from the project. */
function isFileCall(value: Value): boolean {
  return value.kind === "CallValue" && value.callee.name === "file";
}

function checkContent(content: Value, report: (r: Report) => void, inList = false): void {
  if (!present(content)) return;
  switch (content.kind) {
    case "StringValue":
    case "PathValue":
      return;
    case "ListValue":
      if (inList) {
        report({ message: "message content lists cannot nest", span: content.span });
        return;
      }
      content.items.forEach((item) => checkContent(item, report, true));
      return;
    case "CallValue":
      // `user file("prompts/judge.md")`: the file's text is the content (the `file` rule checks it).
      if (content.callee.name !== "file") checkPart(content, report);
      return;
    default:
      report({
        message: `message content is a string, a template path, a list, or a part such as \`input_text("...")\`, not ${describeValue(content)}`,
        span: content.span,
      });
  }
}

/** The one-line forms belong to one kind each, and take exactly an input and a reference. */
function checkShortForm(grader: Grader, report: (r: Report) => void): void {
  const body = grader.body;
  const kind = grader.type.name;
  if (body.kind === "BlockBody" || !isGraderKind(kind)) return;
  if (body.kind === "CompareForm" && kind !== "string_check") {
    report({
      message: `the one-line form \`input ${body.operation.name} reference\` is for \`string_check\` graders, not \`${kind}\``,
      span: body.span,
      suggestion: kind === "text_similarity" ? "write `metric(input, reference)`, as in `fuzzy_match(sample.output_text, item.name)`" : `write a block: \`${kind} "name" { ... }\``,
    });
    return;
  }
  if (body.kind === "CallForm" && kind !== "text_similarity") {
    report({
      message: `the one-line form \`${body.metric.name}(input, reference)\` is for \`text_similarity\` graders, not \`${kind}\``,
      span: body.span,
      suggestion: kind === "string_check" ? "write `input eq reference` (or `ne`, `like`, `ilike`)" : `write a block: \`${kind} "name" { ... }\``,
    });
    return;
  }
  const values = body.kind === "CompareForm" ? [body.input, body.reference] : body.args;
  if (body.kind === "CallForm" && body.args.length !== 2) {
    report({
      message: `\`${body.metric.name}(...)\` takes two arguments, the input and the reference, not ${body.args.length}`,
      span: body.span,
      suggestion: `write \`${body.metric.name}(sample.output_text, item.answer)\``,
    });
  }
  values.slice(0, 2).forEach((value, i) => present(value) && checkString(i === 0 ? "input" : "reference", value, report));
}

/** A string field: text, a bare name, or a bare path. */
function checkString(name: string, value: Value, report: (r: Report) => void, nullable = false): void {
  if (isString(value) || (nullable && value.kind === "NullValue")) return;
  if (value.kind === "RangeValue" || value.kind === "ToleranceValue") return; // reported as such
  if (value.kind === "CallValue") {
    report({ message: `\`${value.callee.name}(...)\` is not a value of \`${name}\``, span: value.span });
    return;
  }
  report({ message: `\`${name}\` must be a string, not ${describeValue(value)}`, span: value.span });
}

/** The plain fields of a kind (strings, numbers, lists of strings) against their schema's type. */
function checkFieldTypes(ctx: CheckContext, grader: Grader, report: (r: Report) => void): void {
  const kind = grader.type.name;
  if (!isGraderKind(kind)) return;
  for (const field of fieldsOf(grader)) {
    const name = field.key.name;
    const value = field.value;
    if (!present(value) || value.kind === "GraderMap" || value.kind === "Formula") continue;
    if (name === "graders" && kind === "multi") {
      report({ message: `\`graders\` is a map of keyed sub-graders, not ${describeValue(value)}`, span: value.span, suggestion: "write `graders { key: <grader> ... }`" });
      continue;
    }
    if (name === "input" && modelKinds.has(kind)) {
      if (value.kind !== "ListValue") {
        report({ message: `the \`input\` of a \`${kind}\` is its messages, not ${describeValue(value)}`, span: value.span, suggestion: 'write each message as a line: `user "..."`' });
      }
      continue;
    }
    if (name === "source" && kind === "python" && value.kind === "CallValue" && value.callee.name === "file") continue;
    if (value.kind === "CallValue" || value.kind === "RangeValue" || value.kind === "ToleranceValue") continue; // reported below
    // The field's schema for this target, or for the target that has it (`pass_threshold` on rft).
    const info = fieldsOfKind(kind, ctx.target).get(name) ?? targetsWithField(kind, name).map((t) => fieldsOfKind(kind, t).get(name)).find((f) => f);
    // The JSON type the field's schema asks for, when it is a plain one this rule checks.
    const expected = info?.expected;
    if (!expected || (expected.nullable && value.kind === "NullValue")) continue;
    if (expected.type === "string") checkString(name, value, report, expected.nullable);
    else if (expected.type === "number") {
      if (value.kind !== "NumberValue") report({ message: `\`${name}\` must be a number, not ${describeValue(value)}`, span: value.span });
    } else if (value.kind !== "ListValue") {
      report({ message: `\`${name}\` must be a list of strings, as in \`[positive, negative]\`, not ${describeValue(value)}`, span: value.span });
    } else {
      for (const item of value.items) {
        if (present(item) && !isString(item)) report({ message: `\`${name}\` holds strings, not ${describeValue(item)}`, span: item.span });
      }
    }
  }
}

function checkRange(grader: Grader, report: (r: Report) => void): void {
  const range = fieldOf(grader, "range")?.value;
  if (!range || range.kind === "GraderMap" || range.kind === "Formula") return;
  if (range.kind === "RangeValue") {
    if (!present(range.low) || !present(range.high)) return;
    const list = `[${range.low.raw}, ${range.high.raw}]`;
    report({ message: `\`range\` is a list of two numbers, not \`low..high\``, span: range.span, suggestion: `write \`${list}\``, replacement: list });
    return;
  }
  const items = range.kind === "ListValue" ? range.items : [];
  const [low, high] = items;
  if (range.kind !== "ListValue" || items.length !== 2 || low?.kind !== "NumberValue" || high?.kind !== "NumberValue") {
    const what = range.kind !== "ListValue" ? `, not ${describeValue(range)}` : items.length !== 2 ? `; this list has ${items.length} item${items.length === 1 ? "" : "s"}` : "";
    report({ message: `\`range\` must be a list of two numbers, as in \`[0, 1]\`${what}`, span: range.span });
    return;
  }
  if (low.value < high.value) return;
  const swapped = `[${high.raw}, ${low.raw}]`;
  report({
    message: `\`range\` must increase: [${low.raw}, ${high.raw}] does not`,
    span: range.span,
    ...(low.value > high.value ? { suggestion: `write \`${swapped}\``, replacement: swapped } : { suggestion: "the second number must be larger than the first" }),
  });
}

/** The kind has the field on some target. */
function hasField(grader: Grader, field: string): boolean {
  return isGraderKind(grader.type.name) && targetsWithField(grader.type.name, field).length > 0;
}

/** Values the service rejects although their type is right, and constructs that are no JSON value. */
export const invalidValueRule: Rule = {
  shared: true,
  meta: {
    id: "invalid-value",
    severity: "error",
    summary:
      "A value the service rejects: `range` not two increasing numbers, `max_completions_tokens < 1`, `top_p` outside 0..1, `temperature` outside 0..2, a non-integer `seed`, malformed message content, or a value of the wrong type.",
    example: 'score_model "s" {\n  model: "gpt-4o-2024-08-06"\n  range: [1, 0]\n  user "Rate: {{sample.output_text}}"\n}',
  },
  create: (ctx, report) => {
    const inTest = (parents: readonly Node[]): boolean => parents.some((p) => p.kind === "TestBlock");
    /** The value of a grader's `range` field: the `Grader` visitor reports a `low..high` there. */
    const isRangeField = (parents: readonly Node[]): boolean => {
      const field = parents[parents.length - 1];
      return field?.kind === "Field" && field.key.name === "range" && parents[parents.length - 2]?.kind === "BlockBody";
    };
    return {
      Grader(grader) {
        checkShortForm(grader, report);
        checkFieldTypes(ctx, grader, report);
        // `range` and `sampling_params` on a kind without them are unknown fields, kept as written.
        if (hasField(grader, "range")) checkRange(grader, report);
        const sampling = hasField(grader, "sampling_params") ? fieldOf(grader, "sampling_params")?.value : undefined;
        if (sampling?.kind === "ObjectValue") sampling.entries.forEach((e) => checkSampling(e, report));
        else if (sampling && sampling.kind !== "NullValue") report({ message: `\`sampling_params\` must be an object, not ${sampling.kind === "GraderMap" || sampling.kind === "Formula" ? "this" : describeValue(sampling)}`, span: sampling.span });
      },
      Message(message) {
        // A call the parser recovered from a syntax error (no closing parenthesis) is no content.
        const content = message.content;
        if (ctx.hasSyntaxErrors && content?.kind === "CallValue" && ctx.text[content.span.end - 1] !== ")") return;
        checkContent(content, report);
      },
      Field(field: Field, parents) {
        const value = field.value;
        if (value?.kind === "CallValue" && !(field.key.name === "source" && value.callee.name === "file") && !inTest(parents)) {
          report({ message: `\`${value.callee.name}(...)\` is not a value of \`${field.key.name}\``, span: value.span });
        }
      },
      RangeValue(node, parents) {
        if (!inTest(parents) && !isRangeField(parents)) report({ message: "a range `low..high` is only an expected reward in a test", span: node.span });
      },
      ToleranceValue(node, parents) {
        if (!inTest(parents)) report({ message: "`within` is only for an expected reward in a test", span: node.span });
      },
    };
  },
};
