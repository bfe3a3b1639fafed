import type { Rule, RuleMeta } from "./context.js";
import { datasetRule } from "./rules/dataset.js";
import { duplicateFieldRule } from "./rules/duplicate-field.js";
import { duplicateLabelRule } from "./rules/duplicate-label.js";
import { fileRule } from "./rules/file.js";
import { formulaSyntaxRule } from "./rules/formula-syntax.js";
import { invalidEnumRule } from "./rules/invalid-enum.js";
import { invalidValueRule } from "./rules/invalid-value.js";
import { labelNotInLabelsRule } from "./rules/label-not-in-labels.js";
import { malformedTemplateRule } from "./rules/malformed-template.js";
import { missingFieldRule } from "./rules/missing-field.js";
import { missingNameRule } from "./rules/missing-name.js";
import { modelSamplingRule } from "./rules/model-sampling.js";
import { nestedMultiRule } from "./rules/nested-multi.js";
import { pythonGradeFunctionRule } from "./rules/python-grade-function.js";
import { pythonSizeRule } from "./rules/python-size.js";
import { syntaxRule } from "./rules/syntax.js";
import { targetRule } from "./rules/target.js";
import { testBlockRule } from "./rules/test-block.js";
import { testDataRule } from "./rules/test-data.js";
import { unknownFieldRule } from "./rules/unknown-field.js";
import { unknownFunctionRule } from "./rules/unknown-function.js";
import { unknownGraderRule } from "./rules/unknown-grader.js";
import { unknownKindRule } from "./rules/unknown-kind.js";
import { unknownTypeRule } from "./rules/unknown-type.js";
import { unknownNamespaceRule } from "./rules/unknown-namespace.js";
import { unknownVariableRule } from "./rules/unknown-variable.js";
import { unusedGraderRule } from "./rules/unused-grader.js";
import { wrongArityRule } from "./rules/wrong-arity.js";

/** Every rule, in the order the catalog lists them and the checker runs them. */
export const rules: readonly Rule[] = [
  syntaxRule,
  unknownKindRule,
  unknownFieldRule,
  missingFieldRule,
  duplicateFieldRule,
  invalidEnumRule,
  invalidValueRule,
  malformedTemplateRule,
  unknownNamespaceRule,
  unknownVariableRule,
  datasetRule,
  unknownTypeRule,
  labelNotInLabelsRule,
  duplicateLabelRule,
  formulaSyntaxRule,
  unknownGraderRule,
  unknownFunctionRule,
  wrongArityRule,
  unusedGraderRule,
  nestedMultiRule,
  targetRule,
  pythonGradeFunctionRule,
  pythonSizeRule,
  modelSamplingRule,
  missingNameRule,
  fileRule,
  testBlockRule,
  testDataRule,
];

/**
 * The rules about `test` blocks: their findings fail `grade test` and show in `grade check`, but
 * never stop compiling, running or evaluating the grader itself.
 */
export const testRuleIds: ReadonlySet<string> = new Set([testBlockRule.meta.id, testDataRule.meta.id]);

/** Whether a finding is about the file's tests, not its grader. */
export function isTestFinding(d: { readonly rule: string }): boolean {
  return testRuleIds.has(d.rule);
}

/** The rule catalog: id, severity, what it catches, an example. */
export const ruleCatalog: readonly RuleMeta[] = rules.map((r) => r.meta);
