/** Line and column (both 1-based; columns in UTF-16 code units) of a source offset. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Maps offsets to lines and columns; built once per source text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo]! + 1 };
  }

  /** "line:column" of an offset. */
  label(offset: number): string {
    const p = this.position(offset);
    return `${p.line}:${p.column}`;
  }
}
