import type { Field, Node, ObjectEntry, Value } from "../../syntax/ast.js";
import { fieldOf } from "../../syntax/ast.js";
import type { Report, Rule } from "../context.js";
import { didYouMean, listOf } from "../suggest.js";

/** Content parts and their positional arguments, as `.grade` writes them. */
export const contentParts: Readonly<Record<string, { readonly positional: readonly string[]; readonly named: readonly string[] }>> = {
  input_text: { positional: ["text"], named: [] },
  output_text: { positional: ["text"], named: [] },
  input_image: { positional: ["image_url"], named: ["detail", "file_id"] },
  input_audio: { positional: ["data"], named: ["format"] },
};

function number(value: Value): number | undefined {
  return value.kind === "NumberValue" ? value.value : undefined;
}

function checkSampling(entry: ObjectEntry, report: (r: Report) => void): void {
  const v = entry.value;
  if (v.kind === "NullValue") return;
  const n = number(v);
  const name = entry.key.name;
  const needNumber = (): void => report({ message: `\`${name}\` must be a number`, span: v.span });
  switch (name) {
    case "temperature":
      if (n === undefined) needNumber();
      else if (n < 0 || n > 2) report({ message: `\`temperature\` must be between 0 and 2, not ${n}`, span: v.span });
      break;
    case "top_p":
      if (n === undefined) needNumber();
      else if (n < 0 || n > 1) report({ message: `\`top_p\` must be between 0 and 1, not ${n}`, span: v.span });
      break;
    case "seed":
      if (n === undefined || !Number.isInteger(n)) report({ message: `\`seed\` must be an integer${n === undefined ? "" : `, not ${n}`}`, span: v.span });
      break;
    case "max_completions_tokens":
      if (n === undefined || !Number.isInteger(n) || n < 1) {
        report({ message: `\`max_completions_tokens\` must be an integer of at least 1${n === undefined ? "" : `, not ${n}`}`, span: v.span });
      }
      break;
    default:
      break;
  }
}

function checkContent(content: Value, report: (r: Report) => void, inList = false): void {
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
    case "CallValue": {
      const part = contentParts[content.callee.name];
      if (!part) {
        report({
          message: `\`${content.callee.name}\` is not a content part; the parts are ${listOf(Object.keys(contentParts))}`,
          span: content.callee.span,
          ...didYouMean(content.callee.name, Object.keys(contentParts)),
        });
        return;
      }
      const positional = content.args.filter((a) => !a.name);
      if (positional.length !== part.positional.length) {
        report({
          message: `\`${content.callee.name}\` takes ${part.positional.length} unnamed argument (its ${part.positional.join(", ")}), not ${positional.length}`,
          span: content.span,
        });
      }
      if (content.callee.name === "input_audio" && !content.args.some((a) => a.name?.name === "format")) {
        report({ message: "`input_audio` needs `format: mp3` or `format: wav`", span: content.span });
      }
      for (const arg of content.args) {
        if (arg.name && (arg.name.name === "type" || part.positional.includes(arg.name.name))) {
          report({ message: `\`${arg.name.name}\` is given by the part itself; remove it`, span: arg.span });
        }
      }
      return;
    }
    default:
      report({
        message: 'message content is a string, a template path, a list, or a part such as `input_text("...")`',
        span: content.span,
      });
  }
}

/** Values the service rejects although their type is right, and constructs that are no JSON value. */
export const invalidValueRule: Rule = {
  meta: {
    id: "invalid-value",
    severity: "error",
    summary:
      "A value the service rejects: `range` not two increasing numbers, `max_completions_tokens < 1`, `top_p` outside 0..1, `temperature` outside 0..2, a non-integer `seed`, malformed message content, or a value of the wrong type.",
    example: 'score_model "s" {\n  model: "gpt-4o-2024-08-06"\n  range: [1, 0]\n  user "Rate: {{sample.output_text}}"\n}',
  },
  create: (_ctx, report) => {
    const inTest = (parents: readonly Node[]): boolean => parents.some((p) => p.kind === "TestBlock");
    return {
      Grader(grader) {
        const range = fieldOf(grader, "range")?.value;
        if (range && range.kind !== "GraderMap" && range.kind !== "Formula") {
          const nums = range.kind === "ListValue" ? range.items.map(number) : [];
          if (range.kind !== "ListValue" || nums.length !== 2 || nums.some((n) => n === undefined)) {
            report({ message: "`range` must be a list of two numbers, as in `[0, 1]`", span: range.span });
          } else if (!(nums[0]! < nums[1]!)) {
            report({ message: `\`range\` must increase: [${nums[0]}, ${nums[1]}] does not`, span: range.span, suggestion: `write \`[${nums[1]}, ${nums[0]}]\`` });
          }
        }
        const sampling = fieldOf(grader, "sampling_params")?.value;
        if (sampling?.kind === "ObjectValue") sampling.entries.forEach((e) => checkSampling(e, report));
        else if (sampling && sampling.kind !== "NullValue") report({ message: "`sampling_params` must be an object", span: sampling.span });
        const threshold = fieldOf(grader, "pass_threshold")?.value;
        if (threshold && threshold.kind !== "NumberValue") report({ message: "`pass_threshold` must be a number", span: threshold.span });
      },
      Message(message) {
        checkContent(message.content, report);
      },
      Field(field: Field, parents) {
        const value = field.value;
        if (value.kind === "CallValue" && !(field.key.name === "source" && value.callee.name === "file") && !inTest(parents)) {
          report({ message: `\`${value.callee.name}(...)\` is not a value of \`${field.key.name}\``, span: value.span });
        }
      },
      RangeValue(node, parents) {
        if (!inTest(parents)) report({ message: "a range `low..high` is only an expected reward in a test", span: node.span });
      },
      ToleranceValue(node, parents) {
        if (!inTest(parents)) report({ message: "`within` is only for an expected reward in a test", span: node.span });
      },
    };
  },
};
