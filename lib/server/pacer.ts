// One pacer for every playing session. Frame n of a run is due at start + n × period (absolute deadlines, so a
// late tick never pushes later frames back); frame 0 goes out at start().
//
// Runs wait in a min-heap by due time. A timer tick sends every run due up to now + `earlyMs` in one batch, so
// 1000 sessions with 1000 different phases cost about one tick per millisecond, not one per deadline. Bun's
// timers take whole milliseconds and fire ~0.1–1 ms late, so a deadline that stands alone (nothing sent in the
// `isolationMs` before it: the few-stream case) is reached by arming the timer a little early and busy-waiting
// the last stretch, at most once per such deadline. The timer toward it sleeps long only until `approachMs` before
// the deadline and covers the rest in steps of at most `stepMs`: Bun works out each sleep from a clock it read before
// running JavaScriptCore's GC timers in the same turn, so a collection there makes the next timer late by its own
// length (timers up to ~13 ms late seen); a short step absorbs that, a single 48 ms timer passed it on to the frame
// (BENCHMARKS.md, ninth round). Crowded deadlines never spin: they are batched instead, trading up to ~1.5 ms of
// lateness for an idle CPU between ticks. (Timing the next tick from a batch's start instead of its end halves the
// median lateness but gave a worse p99 and more CPU at 1000 streams: BENCHMARKS.md.)
import { DeadlineHeap, type HeapItem } from "./deadline-heap.ts";

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
      // A busy wait: only for an isolated deadline, bounded by `spinMs`.
    }
  },
};

export interface PacedRun {
  /** Sends frame `n` of this run (0 = the first); returns false when the run has nothing more to send. */
  sendFrame(n: number): boolean;
}

interface Entry extends HeapItem {
  run: PacedRun;
  start: number;
  next: number;
}

export interface PacerOptions {
  periodMs: number;
  /** A run due at most this much later than now goes out in the current batch (default 0.5 ms). */
  earlyMs?: number;
  /** Longest busy wait, and how early the timer is armed for an isolated deadline (default 2 ms). */
  spinMs?: number;
  /** A deadline this long after the previous batch is isolated and gets the busy wait (default 20 ms). */
  isolationMs?: number;
  /** The timer toward an isolated deadline sleeps until this long before it in one go (default 10 ms)… */
  approachMs?: number;
  /** …and the rest in timers of at most this long (default 2 ms). */
  stepMs?: number;
  clock?: PacerClock;
  /** A run whose sendFrame throws is stopped and reported here; the others keep going. */
  onError?: (error: unknown) => void;
  /** Called after each batch of sends (e.g. to flush packets queued by the transports). */
  afterBatch?: () => void;
}

export class Pacer {
  private readonly entries = new Map<PacedRun, Entry>();
  private readonly heap = new DeadlineHeap<Entry>();
  /** Reused for every batch: the hot path allocates nothing per tick. */
  private readonly batch: Entry[] = [];
  private readonly periodMs: number;
  private readonly earlyMs: number;
  private readonly spinMs: number;
  private readonly isolationMs: number;
  private readonly approachMs: number;
  private readonly stepMs: number;
  private readonly clock: PacerClock;
  private readonly onError: (error: unknown) => void;
  private readonly afterBatch: () => void;
  private timer: unknown;
  private armedFor = Number.POSITIVE_INFINITY;
  private lastBatchAt = Number.NEGATIVE_INFINITY;

  constructor(options: PacerOptions) {
    this.periodMs = options.periodMs;
    this.earlyMs = options.earlyMs ?? 0.5;
    this.spinMs = options.spinMs ?? 2;
    this.isolationMs = options.isolationMs ?? 20;
    this.approachMs = options.approachMs ?? 10;
    this.stepMs = options.stepMs ?? 2;
    this.clock = options.clock ?? realClock;
    this.onError = options.onError ?? (() => {});
    this.afterBatch = options.afterBatch ?? (() => {});
  }

  get activeRuns(): number {
    return this.entries.size;
  }

  /** Sends frame 0 at once, then the rest on schedule. A run already started is restarted with a fresh time base. */
  start(run: PacedRun): void {
    const previous = this.entries.get(run);
    if (previous) this.heap.remove(previous);
    const now = this.clock.now();
    const entry: Entry = { run, start: now, next: 0, due: now, heapIndex: -1 };
    this.entries.set(run, entry);
    this.lastBatchAt = now;
    this.send(entry);
    this.afterBatch();
    this.arm();
  }

  stop(run: PacedRun): void {
    const entry = this.entries.get(run);
    if (!entry) return;
    this.entries.delete(run);
    this.heap.remove(entry);
    this.arm();
  }

  stopAll(): void {
    this.entries.clear();
    this.heap.clear();
    this.arm();
  }

  /** Sends the entry's next frame and queues the one after; a finished, failed, stopped or restarted run is not queued. */
  private send(entry: Entry): void {
    if (this.entries.get(entry.run) !== entry) return;
    let more: boolean;
    try {
      more = entry.run.sendFrame(entry.next);
    } catch (error) {
      more = false;
      this.onError(error);
    }
    entry.next++;
    if (this.entries.get(entry.run) !== entry) return;
    if (!more) {
      this.entries.delete(entry.run);
      return;
    }
    entry.due = entry.start + entry.next * this.periodMs;
    this.heap.push(entry);
  }

  private isIsolated(due: number): boolean {
    return due - this.lastBatchAt >= this.isolationMs;
  }

  private arm(): void {
    const top = this.heap.peek();
    const due = top ? top.due : Number.POSITIVE_INFINITY;
    if (due === this.armedFor) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedFor = due;
    if (due === Number.POSITIVE_INFINITY) return;
    const ahead = due - this.clock.now();
    let delay: number;
    if (ahead <= this.earlyMs) delay = 0;
    // Whole milliseconds, since that is what the timer honours: early enough that the wait covers its lateness.
    else if (this.isIsolated(due)) delay = this.isolatedDelay(ahead);
    // At least 1 ms: a crowded schedule is served by fewer, fuller batches rather than by waking up constantly.
    else delay = Math.max(1, Math.round(ahead - this.earlyMs));
    this.timer = this.clock.setTimer(() => this.tick(), delay);
  }

  /** Whole milliseconds toward an isolated deadline `ahead` ms away: one long sleep, then short steps, then the wait. */
  private isolatedDelay(ahead: number): number {
    if (ahead - this.approachMs > this.stepMs) return Math.floor(ahead - this.approachMs);
    return Math.max(0, Math.min(this.stepMs, Math.floor(ahead - this.spinMs / 2)));
  }

  private tick(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const top = this.heap.peek();
    if (!top) return;
    let now = this.clock.now();
    const ahead = top.due - now;
    // Waited for even when a late timer left less than `earlyMs`: an isolated frame is never sent early.
    if (ahead > 0 && ahead <= this.spinMs && this.isIsolated(top.due)) {
      this.clock.waitUntil(top.due);
      now = this.clock.now();
    }
    if (top.due - now <= this.earlyMs) this.sendBatch(now);
    this.arm();
  }

  /** Every run due by now + earlyMs sends one frame; a run further behind catches up on the next (immediate) tick. */
  private sendBatch(now: number): void {
    const limit = now + this.earlyMs;
    const batch = this.batch;
    for (let top = this.heap.peek(); top !== undefined && top.due <= limit; top = this.heap.peek()) batch.push(this.heap.pop()!);
    this.lastBatchAt = now;
    for (let i = 0; i < batch.length; i++) this.send(batch[i]);
    batch.length = 0;
    this.afterBatch();
  }
}
