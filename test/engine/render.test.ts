import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../src/engine/render.js";

const item = {
  answer: "Paris",
  score: 0.5,
  count: 3,
  flag: true,
  nothing: null,
  nums: [1, 2, 3],
  ground_truth: { date: "2024-01-01", tags: ["a", "b"], deep: { list: [{ x: "X0" }, { x: "X1" }] } },
  empty: "",
  unicode: "naïve — 東京 🚀",
  quote: 'say "hi"\n',
};

const sample = {
  output_text: "The answer is Paris.",
  output_json: { email: "a@b.c", name: "Ann" },
  output_tools: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
  choices: [{ index: 0, message: { role: "assistant", content: "hi" } }],
};

const ns = { item, sample };

function text(template: string, namespaces: { item: unknown; sample: unknown } = ns): string {
  const result = renderTemplate(template, namespaces);
  if (!result.ok) throw new Error(`missing: ${result.missing.join(", ")}`);
  return result.text;
}

function missing(template: string, namespaces: { item: unknown; sample: unknown } = ns): string[] {
  const result = renderTemplate(template, namespaces);
  if (result.ok) throw new Error(`rendered: ${result.text}`);
  return result.missing;
}

describe("renderTemplate: substitution", () => {
  it("inserts strings as they are", () => {
    expect(text("{{item.answer}}")).toBe("Paris");
    expect(text("Answer: {{ item.answer }}!")).toBe("Answer: Paris!");
    expect(text("{{   sample.output_text\t}}")).toBe("The answer is Paris.");
    expect(text("[{{item.quote}}]")).toBe('[say "hi"\n]');
    expect(text("<{{item.empty}}>")).toBe("<>");
  });

  it("leaves text without templates unchanged", () => {
    expect(text("")).toBe("");
    expect(text("plain text")).toBe("plain text");
    expect(text('{"a": {"b": 1}}')).toBe('{"a": {"b": 1}}');
    expect(text("single { braces } and }")).toBe("single { braces } and }");
  });

  it("follows nested fields and list indexes", () => {
    expect(text("{{item.ground_truth.date}}")).toBe("2024-01-01");
    expect(text("{{sample.output_json.email}}")).toBe("a@b.c");
    expect(text("{{sample.output_tools[0].function.name}}")).toBe("get_weather");
    expect(text("{{sample.output_tools[0].function.arguments}}")).toBe('{"city":"Paris"}');
    expect(text("{{item.ground_truth.deep.list[1].x}}")).toBe("X1");
    expect(text("{{item.nums[2]}}")).toBe("3");
    expect(text("{{sample.choices[0].message.content}}")).toBe("hi");
  });

  it("renders every other value as compact JSON", () => {
    expect(text("{{item.score}}")).toBe("0.5");
    expect(text("{{item.count}}")).toBe("3");
    expect(text("{{item.flag}}")).toBe("true");
    expect(text("{{item.nothing}}")).toBe("null");
    expect(text("{{item.nums}}")).toBe("[1,2,3]");
    expect(text("{{item.ground_truth.tags}}")).toBe('["a","b"]');
    expect(text("{{sample.output_json}}")).toBe('{"email":"a@b.c","name":"Ann"}');
    expect(text("{{sample.output_tools[0].function}}")).toBe(
      '{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}',
    );
    expect(text('{"extracted_text": {{item.nums}}, "n": {{item.count}}}')).toBe('{"extracted_text": [1,2,3], "n": 3}');
  });

  it("keeps unicode as it is", () => {
    expect(text("«{{item.unicode}}»")).toBe("«naïve — 東京 🚀»");
    expect(text("{{item.x}}", { item: { x: ["東京", "🚀"] }, sample: {} })).toBe('["東京","🚀"]');
    expect(text("東京 {{item.answer}} 🚀")).toBe("東京 Paris 🚀");
  });

  it("substitutes several templates in one string, including the same one twice", () => {
    expect(text("{{item.answer}} vs {{sample.output_text}} ({{item.answer}}, {{item.count}})")).toBe(
      "Paris vs The answer is Paris. (Paris, 3)",
    );
    expect(text("{{item.answer}}{{item.count}}")).toBe("Paris3");
  });

  it("does not expand templates inside substituted values", () => {
    expect(text("{{item.t}}", { item: { t: "{{item.u}}", u: "no" }, sample: {} })).toBe("{{item.u}}");
  });

  it("keeps literal braces around a template", () => {
    expect(text("{ {{item.count}} }")).toBe("{ 3 }");
    expect(text("{{{item.answer}} }")).toBe("{Paris }");
    expect(text('{"a": {"b": {{item.count}}}}')).toBe('{"a": {"b": 3}}');
  });
});

describe("renderTemplate: unresolved paths", () => {
  it("reports a missing key, an index out of range and indexing a non-object", () => {
    expect(missing("{{item.nope}}")).toEqual(["item.nope"]);
    expect(missing("{{item.nums[3]}}")).toEqual(["item.nums[3]"]);
    expect(missing("{{item.answer.length}}")).toEqual(["item.answer.length"]);
    expect(missing("{{item.answer[0]}}")).toEqual(["item.answer[0]"]);
    expect(missing("{{item.count.x}}")).toEqual(["item.count.x"]);
    expect(missing("{{item.nothing.x}}")).toEqual(["item.nothing.x"]);
    expect(missing("{{item.ground_truth[0]}}")).toEqual(["item.ground_truth[0]"]);
    expect(missing("{{item.nums.length}}")).toEqual(["item.nums.length"]);
    expect(missing("{{sample.output_tools[1].function.name}}")).toEqual(["sample.output_tools[1].function.name"]);
  });

  it("does not read inherited properties", () => {
    expect(missing("{{item.constructor}}")).toEqual(["item.constructor"]);
    expect(missing("{{item.toString}}")).toEqual(["item.toString"]);
    expect(missing("{{item.__proto__}}")).toEqual(["item.__proto__"]);
  });

  it("reports every missing path at once, each once, in order", () => {
    expect(missing("{{item.a}} {{item.answer}} {{sample.b}} {{item.a}} {{item.nums[9]}}")).toEqual([
      "item.a",
      "sample.b",
      "item.nums[9]",
    ]);
  });

  it("treats a namespace other than item and sample as missing", () => {
    expect(missing("{{items.answer}}")).toEqual(["items.answer"]);
    expect(missing("{{output.text}} {{item.answer}}")).toEqual(["output.text"]);
  });

  it("treats an absent namespace as missing", () => {
    expect(missing("{{item.answer}}", { item: undefined, sample })).toEqual(["item.answer"]);
    expect(missing("{{sample.output_json.email}}", { item, sample: { output_text: "x" } })).toEqual([
      "sample.output_json.email",
    ]);
    expect(missing("{{item.x}}", { item: "a string", sample })).toEqual(["item.x"]);
    expect(missing("{{item.x}}", { item: null, sample })).toEqual(["item.x"]);
    expect(missing("{{item[1]}}", { item: ["a"], sample })).toEqual(["item[1]"]);
  });

  it("reports values that have no JSON form (only JS callers can pass them)", () => {
    expect(missing("{{item.f}}", { item: { f: () => 1 }, sample })).toEqual(["item.f"]);
    expect(missing("{{item.b}}", { item: { b: 1n }, sample })).toEqual(["item.b"]);
    expect(missing("{{item.u}}", { item: { u: undefined }, sample })).toEqual(["item.u"]);
  });
});

describe("renderTemplate: malformed templates are left as written", () => {
  it.each([
    "{{item.answer",
    "{{ }}",
    "{{}}",
    "{{item}}",
    "{{sample}}",
    "{{output_text}}",
    "{{item. answer}}",
    "{{item.a-b}}",
    "{{{item.answer}}}",
    "{{item.answer[*]}}",
    "}} stray",
  ])("%j", (template) => {
    expect(text(template)).toBe(template);
  });

  it("still substitutes the well-formed templates around them", () => {
    expect(text("{{item}} is {{item.answer}}; {{item. x}}")).toBe("{{item}} is Paris; {{item. x}}");
    expect(text("{{item.answer}} and {{item.count")).toBe("Paris and {{item.count");
  });
});
