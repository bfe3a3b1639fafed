import { describe, it } from "vitest";
import { expectFindings, expectValid } from "../helpers/harness.js";

const nested = {
  rule: "nested-multi",
  severity: "error",
  message: "a multi grader cannot hold another multi grader",
  suggestion: "move this multi grader's sub-graders into the outer `graders` and combine them in its formula",
};

const twoLevels = `multi "outer" {
  graders {
    inner: multi "inner" {
      graders { a: string_check "a": sample.output_text eq item.a }
      calculate_output: a
    }
    b: string_check "b": sample.output_text eq item.b
  }
  calculate_output: (inner + b) / 2
}
`;

describe("nested-multi", () => {
  it("accepts a multi whose sub-graders are of other kinds", () => {
    expectValid(
      "nested-multi",
      `multi "m" {
  graders {
    a: string_check "a": sample.output_text eq item.a
    t: text_similarity "t": fuzzy_match(sample.output_text, item.b)
    p: python "p" { source: "def grade(sample, item):\\n    return 1.0" }
  }
  calculate_output: a + t + p
}
`,
    );
  });

  it("reports a multi inside a multi at its kind", () => {
    expectFindings("nested-multi", twoLevels).toEqual([{ ...nested, at: "3:12-3:17" }]);
  });

  it("reports every level of a deeper nesting", () => {
    const source = `multi "l1" {
  graders {
    l2: multi "l2" {
      graders {
        l3: multi "l3" {
          graders { a: string_check "a": sample.output_text eq item.a }
          calculate_output: a
        }
      }
      calculate_output: l3
    }
  }
  calculate_output: l2
}
`;
    expectFindings("nested-multi", source).toEqual([
      { ...nested, at: "3:9-3:14" },
      { ...nested, at: "5:13-5:18" },
    ]);
  });

  it("reports nesting for every target and with an unnamed inner multi", () => {
    expectFindings("nested-multi", twoLevels, { target: "evals" }).toEqual([{ ...nested, at: "3:12-3:17" }]);
    expectFindings("nested-multi", twoLevels.replace('multi "inner"', "multi")).toEqual([{ ...nested, at: "3:12-3:17" }]);
  });
});
