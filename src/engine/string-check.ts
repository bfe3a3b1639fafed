/*
 * The `string_check` grader: `eq`, `ne`, `like` (input contains reference) and `ilike` (the same,
 * ignoring case). No trimming, no Unicode normalisation, no SQL `%`/`_` wildcards; case is folded
 * with `String.prototype.toLowerCase()` (see src/engine/README.md).
 */

export type StringCheckOperation = "eq" | "ne" | "like" | "ilike";

/** 1 when `input` passes `operation` against `reference`, else 0. Inputs are the rendered strings. */
export function stringCheck(input: string, reference: string, operation: StringCheckOperation): 0 | 1 {
  switch (operation) {
    case "eq":
      return input === reference ? 1 : 0;
    case "ne":
      return input !== reference ? 1 : 0;
    case "like":
      return input.includes(reference) ? 1 : 0;
    case "ilike":
      return input.toLowerCase().includes(reference.toLowerCase()) ? 1 : 0;
  }
}
