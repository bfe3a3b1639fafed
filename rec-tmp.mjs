import { parse } from "./dist/syntax/parse.js";
const base = `item {
  answer: string
}

string_check "x" {
  input: sample.output_text
  reference: item.answer
  operation: eq
}

test "t" {
  sample: "a"
  item { answer: "a" }
  expect: 1
}
`;
const cases = {
  missingValue: base.replace("reference: item.answer", "reference:"),
  bareKey: base.replace("  operation: eq\n", "  operation: eq\n  ref\n"),
  unclosed: base.replace("  operation: eq\n}", "  operation: eq\n"),
  unterminatedString: base.replace("reference: item.answer", 'reference: "{{ item.'),
  colonOnly: base.replace("  operation: eq\n", "  operation: eq\n  pass:\n"),
  badDecl: base.replace("answer: string", "answer: "),
};
for (const [name, text] of Object.entries(cases)) {
  const r = parse(text);
  const g = r.document.grader;
  console.log(name, "| diags:", r.diagnostics.map(d => d.message).join(" / "), "| grader:", g ? g.type.name + " members=" + (g.body.members?.map(m => m.key?.name ?? m.role?.name).join(",")) : "NONE", "| decls", r.document.declarations.map(d=>d.type.fields.map(f=>f.key.name).join(",")), "| tests", r.document.tests.length);
}
