import { describe, expect, it } from "vitest";
import { underlined } from "../helpers/harness.js";

describe("spans inside strings cover escapes whole", () => {
  it("underlines `{{` written with a \\u escape", () => {
    expect(underlined('string_check "s": "\\u007b{item.x" eq item.a\n', "malformed-template")).toEqual(["\\u007b{"]);
  });

  it("underlines a path that ends in an escape", () => {
    expect(underlined('item { ab: string }\nstring_check "s": "{{item.a\\u0062c}}" eq item.ab\n', "unknown-variable")).toEqual(["item.a\\u0062c"]);
  });
});
