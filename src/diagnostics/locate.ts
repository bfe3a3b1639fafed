import type { Span } from "../syntax/ast.js";
import { LineIndex, type Position } from "../syntax/lines.js";
import type { Diagnostic } from "./diagnostic.js";

/** Finds the text of a diagnostic's file, to derive lines and columns when printing. */
export type SourceLookup = (file: string | undefined) => string | undefined;

export interface Located {
  readonly start: Position;
  readonly end: Position;
}

/** Lines and columns of spans, with one LineIndex per source text. */
export class Locator {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly sourceOf: SourceLookup) {}

  index(file: string | undefined): LineIndex | undefined {
    const text = this.sourceOf(file);
    if (text === undefined) return undefined;
    let index = this.indexes.get(text);
    if (!index) {
      index = new LineIndex(text);
      this.indexes.set(text, index);
    }
    return index;
  }

  locate(file: string | undefined, span: Span): Located {
    const index = this.index(file);
    if (!index) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    return { start: index.position(span.start), end: index.position(span.end) };
  }

  /** The diagnostic's `location` when it has one (a file whose text is not held), else its span's. */
  locateDiagnostic(d: Diagnostic): Located {
    if (d.location) return { start: d.location, end: d.location };
    return this.locate(d.file, d.span);
  }
}
