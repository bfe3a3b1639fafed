import { describe, it } from "vitest";
import { compiled, expectFindings, expectValid } from "../helpers/harness.js";

const labelModel = `label_model "sentiment" {
  model: "gpt-4o-2024-08-06"
  labels: [positive, negative]
  passing_labels: [positive]
  user "Statement: {{item.text}}"
}
`;

const labelInMulti = `multi "m" {
  graders {
    tone: label_model "tone" {
      model: "gpt-4o-2024-08-06"
      labels: [positive, negative]
      passing_labels: [positive]
      user "Statement: {{item.text}}"
    }
  }
  calculate_output: tone
}
`;

const simpleMulti = `multi "m" {
  graders { a: string_check "a": sample.output_text eq item.a }
  calculate_output: a
}
`;

const cosineOneLine = 'text_similarity "close": cosine(sample.output_text, item.answer)\n';
const cosineBlock = `text_similarity "close" {
  input: sample.output_text
  reference: item.answer
  evaluation_metric: cosine
  pass_threshold: 0.8
}
`;

const target = (message: string, at: string, suggestion: string) => ({ rule: "target", severity: "error", message, at, suggestion });
const labelTopLevel = (at: string) =>
  target(
    "a `label_model` grader is not allowed at the top level for the rft target",
    at,
    "use it inside a `multi` grader, or check with `--target evals`",
  );
const multiForEvals = (at: string) => target("`multi` graders are only for the rft target", at, "use `--target rft`");
const needsThreshold = (at: string, suggestion: string) =>
  target("a `text_similarity` grader needs `pass_threshold` for the evals target", at, suggestion);

describe("target", () => {
  describe("label_model", () => {
    it("is reported at the top level for rft (the default)", () => {
      expectFindings("target", labelModel).toEqual([labelTopLevel("1:1-1:12")]);
      expectFindings("target", labelModel, { target: "rft" }).toEqual([labelTopLevel("1:1-1:12")]);
    });

    it("is allowed inside a multi for rft", () => {
      expectValid("target", labelInMulti);
      compiled(labelInMulti);
    });

    it("is allowed at the top level for evals, by option or by pragma", () => {
      expectValid("target", labelModel, { target: "evals" });
      expectValid("target", `// @target evals\n${labelModel}`);
      compiled(`// @target evals\n${labelModel}`);
    });

    it("lets --target override the pragma", () => {
      expectFindings("target", `// @target evals\n${labelModel}`, { target: "rft" }).toEqual([labelTopLevel("2:1-2:12")]);
    });
  });

  describe("cosine", () => {
    it("is allowed for rft, as the API description allows it, in one-line and block form and inside a multi", () => {
      expectValid("target", cosineOneLine);
      expectValid("target", cosineBlock);
      compiled(cosineOneLine);
      const source = `multi "m" {
  graders { c: text_similarity "c": cosine(sample.output_text, item.answer) }
  calculate_output: c
}
`;
      expectValid("target", source);
      compiled(source);
    });

    it("is allowed for evals", () => {
      expectValid("target", cosineBlock, { target: "evals" });
      expectValid("target", `// @target evals\n${cosineBlock}`);
      compiled(cosineBlock, { target: "evals" });
    });

    it("does not flag other metrics for rft", () => {
      expectValid("target", 'text_similarity "t": fuzzy_match(sample.output_text, item.answer)\n');
      expectValid("target", 'text_similarity "t": rouge_l(sample.output_text, item.answer)\n');
    });
  });

  describe("multi", () => {
    it("is reported for evals, by option or by pragma", () => {
      expectFindings("target", simpleMulti, { target: "evals" }).toEqual([multiForEvals("1:1-1:6")]);
      expectFindings("target", `// @target evals\n${simpleMulti}`).toEqual([multiForEvals("2:1-2:6")]);
    });

    it("is allowed for rft", () => {
      expectValid("target", simpleMulti);
      expectValid("target", `// @target rft\n${simpleMulti}`);
      expectValid("target", `// @target evals\n${simpleMulti}`, { target: "rft" });
    });

    it("reports the multi once, not the sub-graders it holds", () => {
      const source = `multi "m" {
  graders {
    t: text_similarity "t": fuzzy_match(sample.output_text, item.x)
    l: label_model "l" {
      model: "gpt-4o-2024-08-06"
      labels: [yes, no]
      passing_labels: [yes]
      user "{{item.x}}"
    }
  }
  calculate_output: t + l
}
`;
      expectFindings("target", source, { target: "evals" }).toEqual([multiForEvals("1:1-1:6")]);
    });
  });

  describe("text_similarity for evals", () => {
    it("needs pass_threshold: the one-line form suggests the block form", () => {
      expectFindings("target", 'text_similarity "t": fuzzy_match(sample.output_text, item.answer)\n', { target: "evals" }).toEqual([
        needsThreshold("1:1-1:20", "write it in block form with `pass_threshold: 0.8`"),
      ]);
    });

    it("needs pass_threshold in block form, underlining kind and name", () => {
      const source = `text_similarity "t" {
  input: sample.output_text
  reference: item.answer
  evaluation_metric: bleu
}
`;
      expectFindings("target", source, { target: "evals" }).toEqual([needsThreshold("1:1-1:20", "add `pass_threshold: 0.8`")]);
      expectFindings("target", source.replace('text_similarity "t"', "text_similarity"), { target: "evals" }).toEqual([
        needsThreshold("1:1-1:16", "add `pass_threshold: 0.8`"),
      ]);
    });

    it("is satisfied by pass_threshold, and not required for rft", () => {
      expectValid("target", cosineBlock, { target: "evals" });
      expectValid("target", 'text_similarity "t": fuzzy_match(sample.output_text, item.answer)\n');
    });

    it("follows the pragma", () => {
      expectFindings("target", '// @target evals\ntext_similarity "t": fuzzy_match(sample.output_text, item.answer)\n').toEqual([
        needsThreshold("2:1-2:20", "write it in block form with `pass_threshold: 0.8`"),
      ]);
    });
  });

  it("accepts the other kinds for both targets", () => {
    const sources = [
      'string_check "s": sample.output_text eq item.label\n',
      'python "p" { source: "def grade(sample, item): return 1.0" }\n',
      'score_model "s" {\n  model: "gpt-4o-2024-08-06"\n  user "Rate {{sample.output_text}}"\n}\n',
    ];
    for (const source of sources) {
      expectValid("target", source);
      expectValid("target", source, { target: "evals" });
    }
  });
});

describe("target: the @target pragma", () => {
  it("reports a pragma that names no target, with a suggestion", () => {
    expectFindings("target", '// @target evlas\nstring_check "s": sample.output_text eq item.a\n').toEqual([
      {
        rule: "target",
        severity: "error",
        message: "`evlas` is not a target; `// @target` names `rft` or `evals`",
        at: "1:1-1:17",
        suggestion: "did you mean `evals`?",
      },
    ]);
  });
});
