// The promptfoo assertion of gradelang, at a path a promptfoo config can name:
//   assert:
//     - type: javascript
//       value: file://node_modules/gradelang/promptfoo.js:grader
//       config: { grader: graders/exact.grade }
// `import { grader, assertion } from "gradelang/promptfoo"` is the same module. See docs/promptfoo.md.
export { assertion, grader, gradingResult, itemOf, sampleOf } from "./dist/promptfoo/assertion.js";
