import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { parseGraderJson } from "../../src/emit/decompile.js";
import { emitGrader } from "../../src/emit/emit.js";
import { graderSchema, type Target } from "../../src/schema/graders.js";
import { fuzz } from "./fuzz-config.js";
import { arbitraryOf } from "./zod-arbitrary.js";

const readFile = () => ({ ok: false as const, message: "no files" });

describe.each(["rft", "evals"] as Target[])("random %s graders from the zod schemas", (target) => {
  const graders = arbitraryOf(graderSchema(target)).filter((g) => graderSchema(target).safeParse(g).success);

  it("are valid for their schema (the generator is sound)", () => {
    fc.assert(fc.property(graders, (g) => graderSchema(target).safeParse(g).success), fuzz(200));
  });

  it("JSON → AST → JSON gives back the same grader", () => {
    fc.assert(
      fc.property(graders, (g) => {
        const text = JSON.stringify(g, null, 2);
        const { document, diagnostics } = parseGraderJson(text);
        expect(diagnostics).toEqual([]);
        expect(emitGrader(document!.grader!, { readFile }).json).toEqual(g);
      }),
      fuzz(300),
    );
  });

  it("compile() of the JSON either gives it back exactly or explains why not", () => {
    fc.assert(
      fc.property(graders, (g) => {
        const result = compile(JSON.stringify(g), { target });
        if (result.grader) expect(result.grader).toEqual(g);
        else expect(result.errors).toBeGreaterThan(0);
      }),
      fuzz(200),
    );
  });
});
