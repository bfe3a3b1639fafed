/** `count` generated `.grade` texts of every kind, each compiling without errors (bench/corpus.js). */
export function corpus(count?: number): string[];
