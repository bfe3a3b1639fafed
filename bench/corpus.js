// The generated corpus of the compile and check benchmarks: 1,000 graders of every kind (about
// 2 MB of .grade text), each different, each compiling without errors. Not a benchmark itself
// (run.js picks up *.bench.js files only).

const words = "the answer reply model reference customer ticket summary score grade label tone clear brief correct complete polite useful exact".split(" ");

/** `n` words of prose, different for each `seed`. */
function prose(seed, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(words[(seed * 7 + i * 13 + ((i * i) >> 2)) % words.length]);
  return out.join(" ");
}

const item = (fields) => `item {\n${fields.map((f) => `  ${f}: string`).join("\n")}\n}\n\n`;

const kinds = [
  // string_check, block form and one-line form
  (i) =>
    `// string_check ${i}: ${prose(i, 20)}\n// ${prose(i + 1, 20)}\n${item(["answer", "city"])}string_check "exact ${i}" {\n  input: sample.output_text\n  reference: item.answer\n  operation: ${["eq", "ne", "like", "ilike"][i % 4]}\n}\n`,
  (i) => `${item(["label"])}string_check "label ${i}": sample.output_text eq item.label\n`,
  // text_similarity, one-line and block (evals: cosine and pass_threshold)
  (i) => `${item(["reference_summary"])}text_similarity "summary ${i}": ${["rouge_l", "bleu", "fuzzy_match", "gleu"][i % 4]}(sample.output_text, item.reference_summary)\n`,
  (i) =>
    `// @target evals\n${item(["reference_answer"])}text_similarity "semantic ${i}" {\n  input: sample.output_text\n  reference: item.reference_answer\n  evaluation_metric: cosine\n  pass_threshold: 0.${(i % 9) + 1}\n}\n`,
  // python with a block-string source (and the one escape of block strings, \""")
  (i) =>
    [
      `python "python ${i}" {`,
      '  image_tag: "2025-05-08"',
      '  source: """',
      "    import json",
      "    import re",
      "",
      `    WORDS = ${JSON.stringify(prose(i, 60).split(" "))}`,
      `    PHRASES = ${JSON.stringify(Array.from({ length: 12 }, (_, k) => prose(i + k, 10)))}`,
      "",
      "    def grade(sample, item) -> float:",
      `        \\"""${prose(i + 1, 12)}\\"""`,
      '        text = sample["output_text"]',
      "        try:",
      "            data = json.loads(text)",
      "        except ValueError:",
      "            return 0.0",
      '        hits = sum(1 for w in WORDS if re.search(r"\\b" + w + r"\\b", text))',
      "        score = hits / max(1, len(WORDS))",
      "        for phrase in PHRASES:",
      "            if phrase in text:",
      "                score += 0.1",
      '        if isinstance(data, dict) and data.get("answer") == item.get("answer"):',
      "            score += 0.5",
      "        return min(1.0, score)",
      '    """',
      "}",
      "",
    ].join("\n"),
  // score_model with messages, range and sampling params
  (i) =>
    `${item(["question", "reference_answer"])}score_model "score ${i}" {\n  model: "gpt-4o-2024-08-06"\n  range: [0, 10]\n  sampling_params { temperature: 0.${i % 10}, top_p: 1, seed: ${i}, max_completions_tokens: 512 }\n  system """\n${Array.from({ length: 16 }, (_, k) => `    ${prose(i + k, 45)}\n`).join("")}    """\n  user "Question: {{item.question}}\\nReference: {{item.reference_answer}}\\nAnswer: {{sample.output_text}}"\n  assistant "${prose(i + 2, 25)}"\n  user [\n    input_text("${prose(i + 4, 30)} {{item.question}}")\n    output_text("{{sample.output_text}}")\n  ]\n}\n`,
  // label_model (evals at the top level)
  (i) =>
    `// @target evals\n${item(["response"])}label_model "labels ${i}" {\n  model: "gpt-4o-2024-08-06"\n  labels: [positive, neutral, negative, mixed]\n  passing_labels: [positive, neutral]\n  system message input_text("${prose(i, 200)}")\n  user message input_text("Statement: {{item.response}}")\n}\n`,
  // multi with every sub-grader kind
  (i) =>
    `// multi ${i}: ${prose(i, 15)}\n${item(["customer_message", "ticket_id", "ideal_reply", "name"])}sample {\n  output_json: { reply: string, ticket_id: string, name: string }\n}\n\nmulti "support ${i}" {\n  graders {\n    tone: label_model "tone" {\n      model: "gpt-4o-2024-08-06"\n      labels: [warm, neutral, curt]\n      passing_labels: [warm, neutral]\n      system "${prose(i, 30)}"\n      user "Customer: {{item.customer_message}}\\n\\nReply: {{sample.output_json.reply}}"\n    }\n    ticket: string_check "ticket id": sample.output_json.ticket_id eq item.ticket_id\n    name: text_similarity "name": fuzzy_match(sample.output_json.name, item.name)\n    helpful: score_model "helpfulness" {\n      model: "gpt-4.1-mini-2025-04-14"\n      range: [0, 10]\n      sampling_params { temperature: 0, seed: ${i}, max_completions_tokens: 512 }\n      system """\n${Array.from({ length: 12 }, (_, k) => `        ${prose(i + k, 45)}\n`).join("")}        """\n      user [\n        "Customer: {{item.customer_message}}"\n        "Ideal reply: {{item.ideal_reply}}"\n        output_text("{{sample.output_json.reply}}")\n      ]\n    }\n    check: python "check" {\n      source: """\n        def grade(sample, item) -> float:\n            return 1.0 if "${prose(i, 3)}" in sample["output_text"] else 0.0\n        """\n    }\n  }\n  calculate_output: 0.2 * tone + 0.2 * ticket + 0.1 * name + 0.4 * helpful / 10 + 0.1 * check\n}\n`,
];

/** 1,000 `.grade` texts, every kind in turn. */
export function corpus(count = 1000) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(kinds[i % kinds.length](i));
  return out;
}
