import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Chevrotain's grammar validations are skipped in production for start-up time; tests keep them on.
    env: { GRADE_VALIDATE_GRAMMAR: "1" },
    testTimeout: 60_000,
  },
});
