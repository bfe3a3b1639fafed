import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { apiErrorPaths, locateApiError, pathSegments } from "../../src/api/locate.js";
import { compile } from "../../src/compile.js";
import { LineIndex } from "../../src/syntax/lines.js";
import { root } from "../helpers/cli.js";

function load(file: string) {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const { sourceMap } = compile(text, { target: "rft" });
  const lines = new LineIndex(text);
  /** Where an API error lands: `line:col` and the text under the span. */
  const at = (param: string | undefined, message: string) => {
    const found = locateApiError(apiErrorPaths(param, message), sourceMap);
    return (
      found && {
        at: lines.label(found.span.start),
        text: text.slice(found.span.start, found.span.end),
        exact: found.exact,
        path: found.path,
      }
    );
  };
  return { at };
}

describe("apiErrorPaths", () => {
  it("takes the param first, then quoted paths of the message", () => {
    expect(
      apiErrorPaths(
        "grader.graders.input",
        "Invalid type for 'grader.graders.input': expected an object, but got a string instead.",
      ),
    ).toEqual(["grader.graders.input"]);
    expect(apiErrorPaths(null, "Invalid type for 'graders.input': expected an object")).toEqual(["graders.input"]);
    expect(apiErrorPaths(undefined, "bad `grader.input[0].content` and 'model'")).toEqual([
      "grader.input[0].content",
      "model",
    ]);
  });

  it("ignores quoted text that is no path", () => {
    expect(apiErrorPaths(undefined, "The model 'gpt 5' does not exist; 'a..b' and '' neither")).toEqual([]);
    expect(apiErrorPaths("not a path", undefined)).toEqual([]);
  });

  it("splits dotted paths and indexes", () => {
    expect(pathSegments("grader.input[0].content[1].text")).toEqual(["grader", "input", "0", "content", "1", "text"]);
  });
});

describe("locateApiError", () => {
  const multi = load("examples/reference/guide-name-email-multi.grade");
  const score = load("examples/seeds/score-text-alignment.grade");

  it("maps a body path (grader.…) to the span of the field", () => {
    expect(multi.at("grader.graders.name.reference", "")).toEqual({
      at: "8:18",
      text: "item.name",
      exact: true,
      path: "grader.graders.name.reference",
    });
    expect(score.at(undefined, "Invalid value for 'grader.model'")).toMatchObject({
      at: "14:10",
      text: '"gpt-5-mini"',
      exact: true,
    });
    expect(score.at(undefined, "Invalid type for 'grader.input[0].content[0].text'")).toMatchObject({
      at: "7:20",
      exact: true,
    });
  });

  it("maps a path relative to the grader (graders.name.reference, as in openai-java#647)", () => {
    expect(multi.at(undefined, "Invalid type for 'graders.email.input': expected an object")).toMatchObject({
      at: "12:41",
      exact: true,
    });
  });

  it("falls back to the closest ancestor the source map has", () => {
    expect(
      multi.at(undefined, "Invalid type for 'graders.input': expected an object, but got a string instead."),
    ).toMatchObject({
      at: "5:11",
      exact: false,
    });
    expect(score.at("grader.sampling_params.max_completions_tokens", "")).toMatchObject({ at: "15:19", exact: false });
    expect(score.at("grader", "")).toMatchObject({ at: "6:1", exact: true });
  });

  it("does not take other request fields or stray words for grader fields", () => {
    expect(score.at("model_sample", "Invalid type for 'model_sample'")).toBeUndefined();
    expect(score.at(undefined, "Invalid type for 'item.answer'")).toBeUndefined();
    expect(score.at(undefined, "The model 'gpt-99' does not exist")).toBeUndefined();
  });
});
