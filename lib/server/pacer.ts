// One pacer for every playing session. Frame n of a run is due at start + n × period (absolute deadlines, so a
// late tick never pushes later frames back), and the timer is armed slightly early then finished with a short
// wait, because Bun's timers fire a couple of milliseconds off.

export interface PacerClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
  /** Returns once now() >= deadline; only ever asked to wait a couple of milliseconds. */
  waitUntil(deadline: number): void;
}

export const realClock: PacerClock = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  waitUntil(deadline) {
    while (performance.now() < deadline) {
      // A busy wait: bounded by the timer's lead, and the only way to hit a deadline below timer resolution.
    }
  },
};

export interface PacedRun {
  /** Sends frame `n` of this run (0 = the first); returns false when the run has nothing more to send. */
  sendFrame(n: number): boolean;
}

interface Entry {
  run: PacedRun;
  start: number;
  next: number;
}

export interface PacerOptions {
  periodMs: number;
  /** How much earlier than the deadline the timer is armed. */
  leadMs?: number;
  clock?: PacerClock;
  /** A run whose sendFrame throws is stopped and reported here; the others keep going. */
  onError?: (error: unknown) => void;
}

export class Pacer {
  private readonly entries = new Map<PacedRun, Entry>();
  private readonly periodMs: number;
  private readonly leadMs: number;
  private readonly clock: PacerClock;
  private readonly onError: (error: unknown) => void;
  private timer: unknown;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(options: PacerOptions) {
    this.periodMs = options.periodMs;
    this.leadMs = options.leadMs ?? 2;
    this.clock = options.clock ?? realClock;
    this.onError = options.onError ?? (() => {});
  }

  get activeRuns(): number {
    return this.entries.size;
  }

  /** Sends frame 0 at once, then the rest on schedule. A run already started is restarted with a fresh time base. */
  start(run: PacedRun): void {
    const entry: Entry = { run, start: this.clock.now(), next: 0 };
    this.entries.set(run, entry);
    this.sendDue(entry);
    this.arm();
  }

  stop(run: PacedRun): void {
    this.entries.delete(run);
    this.arm();
  }

  stopAll(): void {
    this.entries.clear();
    this.arm();
  }

  private dueTime(entry: Entry): number {
    return entry.start + entry.next * this.periodMs;
  }

  /** Sends the entry's next frame; removes the entry when it is finished or failed. */
  private sendDue(entry: Entry): void {
    let more: boolean;
    try {
      more = entry.run.sendFrame(entry.next);
    } catch (error) {
      more = false;
      this.onError(error);
    }
    entry.next++;
    if (!more && this.entries.get(entry.run) === entry) this.entries.delete(entry.run);
  }

  private earliestDue(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) earliest = Math.min(earliest, this.dueTime(entry));
    return earliest;
  }

  private arm(): void {
    const due = this.earliestDue();
    if (due === this.armedFor) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedFor = due;
    if (due === Number.POSITIVE_INFINITY) return;
    const delay = Math.max(0, due - this.clock.now() - this.leadMs);
    this.timer = this.clock.setTimer(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const due = this.earliestDue();
    if (due - this.clock.now() <= this.leadMs) {
      this.clock.waitUntil(due);
      const now = this.clock.now();
      // One frame per run per tick: a run that fell behind catches up on the following (immediate) ticks.
      for (const entry of [...this.entries.values()]) {
        if (this.entries.get(entry.run) === entry && this.dueTime(entry) <= now) this.sendDue(entry);
      }
    }
    this.arm();
  }
}
