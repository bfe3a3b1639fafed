import { describe, expect, it } from "vitest";
import { compiled } from "../helpers/harness.js";

describe("the emitter", () => {
  it("keeps keys that are special in JavaScript as ordinary JSON keys", () => {
    const json = compiled('python "p" {\n  source: "def grade(sample, item): return 1"\n  "__proto__": { a: 1 }\n  extra { constructor: 2 }\n}\n');
    expect(JSON.stringify(json)).toBe('{"type":"python","name":"p","source":"def grade(sample, item): return 1","__proto__":{"a":1},"extra":{"constructor":2}}');
  });

  it("places `input` where the first message is, and other fields in source order", () => {
    const json = compiled('score_model "s" {\n  model: "m"\n  user "a"\n  range: [0, 1]\n  system "b"\n}\n') as object;
    expect(Object.keys(json)).toEqual(["type", "name", "model", "input", "range"]);
  });

  it("emits a quoted formula and an unquoted one exactly as written", () => {
    const graders = 'graders { a: string_check "a": x eq y, b: string_check "b": x eq y }';
    expect(compiled(`multi "m" { ${graders}\n calculate_output: "(a+b)/2" }`)).toMatchObject({ calculate_output: "(a+b)/2" });
    expect(compiled(`multi "m" { ${graders}\n calculate_output: (a  +b)/ 2 }`)).toMatchObject({ calculate_output: "(a  +b)/ 2" });
  });
});
