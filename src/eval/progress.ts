import { duration, num, thousands } from "./summary.js";

/*
 * The progress of `grade eval` on standard error. On a terminal: one bar redrawn in place (ten
 * times a second) with the rows done, the rate, the ETA, the mean reward and the flagged rows. Not
 * on a terminal (CI logs, a file): a plain line every `every` seconds and at each tenth of the
 * rows (of 1,000 rows or more). The rate is that of the last ~10 seconds, so the ETA follows a run that slows down or
 * speeds up (a rate-limited API).
 */

export interface ProgressState {
  /** Rows finished, this run and before. */
  readonly done: number;
  readonly total: number;
  /** Rows finished this run. */
  readonly thisRun: number;
  readonly flagged: number;
  readonly problems: number;
  readonly mean: number | undefined;
}

export type ProgressMode = "bar" | "lines" | "off";

export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Seconds between lines in "lines" mode. */
  readonly every: number;
  readonly stream: NodeJS.WriteStream;
  readonly state: () => ProgressState;
}

const WINDOW_MS = 10_000;
/** Datasets smaller than this get no line per tenth (they are done before one would help). */
const MILESTONE_ROWS = 1000;

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();
  private lastLine = performance.now();
  /** The next tenth of the rows that prints a line (lines mode). */
  private nextMilestone = 0;
  private drawn = false;
  /** (time, rows this run) samples of the last WINDOW_MS, for the rate. */
  private readonly samples: [number, number][] = [];

  constructor(private readonly options: ProgressOptions) {}

  start(): void {
    if (this.options.mode === "off") return;
    const state = this.options.state();
    this.nextMilestone = this.milestoneAfter(state.done, state.total);
    this.samples.push([performance.now(), 0]);
    const tick = this.options.mode === "bar" ? 100 : Math.min(250, this.options.every * 1000);
    this.timer = setInterval(() => this.tick(), tick);
    this.timer.unref();
  }

  /** Called as rows finish: prints the line of a tenth reached (lines mode). Cheap otherwise. */
  rowDone(done: number): void {
    if (done >= this.nextMilestone && this.options.mode === "lines") this.tick();
  }

  private milestoneAfter(done: number, total: number): number {
    if (total < MILESTONE_ROWS) return Infinity;
    const tenth = Math.max(1, Math.ceil(total / 10));
    const next = (Math.floor(done / tenth) + 1) * tenth;
    return next >= total ? Infinity : next;
  }

  private tick(): void {
    const now = performance.now();
    const state = this.options.state();
    this.samples.push([now, state.thisRun]);
    while (this.samples.length > 2 && now - this.samples[1]![0] >= WINDOW_MS) this.samples.shift();
    if (this.options.mode === "bar") {
      this.draw(state, now);
      return;
    }
    const milestone = state.done >= this.nextMilestone;
    if (!milestone && now - this.lastLine < this.options.every * 1000) return;
    if (milestone) this.nextMilestone = this.milestoneAfter(state.done, state.total);
    this.lastLine = now;
    this.options.stream.write(`grade eval: ${this.describe(state, now).join(", ")}\n`);
  }

  /** Rows a second over the last ~10 seconds (the whole run before that). */
  private rate(now: number): number {
    const [t0, n0] = this.samples[0]!;
    const [, n1] = this.samples[this.samples.length - 1]!;
    const ms = now - t0;
    return ms > 0 ? ((n1 - n0) * 1000) / ms : 0;
  }

  private describe(state: ProgressState, now: number): string[] {
    const percent = state.total ? Math.floor((state.done / state.total) * 100) : 100;
    const rate = this.rate(now);
    const parts = [`${thousands(state.done)} of ${thousands(state.total)} rows (${percent}%)`];
    parts.push(`${rate >= 10 ? thousands(Math.round(rate)) : rate.toFixed(1)} rows/s`);
    const left = state.total - state.done;
    if (left > 0 && rate > 0) parts.push(`ETA ${duration(left / rate)}`);
    else parts.push(`elapsed ${duration((now - this.started) / 1000)}`);
    if (state.mean !== undefined) parts.push(`mean ${num(state.mean)}`);
    if (state.flagged) parts.push(`${thousands(state.flagged)} flagged`);
    if (state.problems) parts.push(`${thousands(state.problems)} malformed or failed`);
    return parts;
  }

  private draw(state: ProgressState, now: number): void {
    const width = Math.max(40, this.options.stream.columns || 80);
    const barWidth = Math.min(30, Math.max(10, width - 70));
    const fraction = state.total ? Math.min(1, state.done / state.total) : 1;
    const full = Math.floor(fraction * barWidth);
    const bar = `${"█".repeat(full)}${"░".repeat(barWidth - full)}`;
    let text = `${bar} ${this.describe(state, now).join("  ")}`;
    if (text.length > width - 1) text = text.slice(0, width - 1);
    this.options.stream.write(`\r${text}\x1b[K`);
    this.drawn = true;
  }

  /** Prints a message above the bar (or as a line). */
  log(message: string): void {
    this.clear();
    this.options.stream.write(message.endsWith("\n") ? message : `${message}\n`);
  }

  private clear(): void {
    if (this.drawn) {
      this.options.stream.write("\r\x1b[K");
      this.drawn = false;
    }
  }

  /** Stops the timer and removes the bar. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
