/*
 * The refinements of the grader schemas (src/schema/graders.ts), by name, so that the zod-free
 * validator (src/schema/validate.ts) runs the very same functions.
 */
export const refinements = {
  /** `range`: two increasing numbers. */
  increasing: ([low, high]: readonly [number, number]): boolean => low < high,
} as const;

export type RefinementName = keyof typeof refinements;
