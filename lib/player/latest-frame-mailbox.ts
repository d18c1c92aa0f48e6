// A one-slot mailbox: a new frame replaces the one not yet taken. A display that is slower than the stream then
// always shows the newest frame and its lag cannot grow, where a queue would fall further behind with every frame.

export class LatestFrameMailbox<T> {
  private pending: T | undefined;
  /** Frames replaced before anyone took them. */
  skipped = 0;

  put(item: T): void {
    if (this.pending !== undefined) this.skipped++;
    this.pending = item;
  }

  take(): T | undefined {
    const item = this.pending;
    this.pending = undefined;
    return item;
  }

  get isEmpty(): boolean {
    return this.pending === undefined;
  }
}
