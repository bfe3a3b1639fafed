/** The files the generated page inlines, relative to chevrotain's `diagrams/` folder. */
export declare const inlinedFiles: readonly string[];
/** The self-contained railroad-diagram page for `parser.getSerializedGastProductions()`. */
export declare function diagramsHtml(productions: readonly unknown[]): string;
