import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Production skips chevrotain's grammar validations and asks zod only about graders the
    // schema table rejects, for start-up time; the tests keep the validations on and compare the
    // table's verdict with zod's on every compile.
    env: { GRADE_VALIDATE_GRAMMAR: "1", GRADE_CHECK_SCHEMAS: "1" },
    // The zod schemas, loaded as the library entry loads them (compile() reaches them through
    // src/schema/lazy.ts, which in a test cannot require the .ts file).
    setupFiles: ["test/helpers/setup.ts"],
    testTimeout: 60_000,
  },
});
