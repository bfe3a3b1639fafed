/*
 * Bounded concurrency: at most `concurrency` gradings at once; the next `maxQueue` wait in
 * arrival order (FIFO); beyond that a request is refused at once (the server answers 429 with
 * Retry-After, which the OpenAI clients honour when they retry).
 */

export type Release = () => void;

interface Waiter {
  readonly grant: (release: Release) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class Limiter {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}

  /** Gradings running now. */
  get active(): number {
    return this.running;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A slot: now, or once one frees. `undefined` when every slot is taken and the queue is full.
   * When `signal` aborts while the request waits, it leaves the queue and the promise rejects
   * with the signal's reason. Call the release exactly once (later calls do nothing).
   */
  acquire(signal?: AbortSignal): Promise<Release> | undefined {
    if (this.running < this.concurrency && this.waiting.length === 0) return Promise.resolve(this.take());
    if (this.waiting.length >= this.maxQueue) return undefined;
    return new Promise<Release>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const waiter: Waiter = {
        grant: resolve,
        signal,
        onAbort: () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private take(): Release {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.waiting.shift();
      if (next) {
        next.signal?.removeEventListener("abort", next.onAbort);
        next.grant(this.take());
      }
    };
  }
}
