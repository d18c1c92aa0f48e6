// Frame pacing math as pure functions: shared by `rtsp play`'s report and `rtsp bench`.

export interface IntervalSummary {
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export interface FrameArrival {
  /** 1-based frame number in the movie. */
  number: number;
  arrivalMs: number;
}

/** Nearest-rank percentile (p in 0..100) of values already sorted ascending; NaN for no values. */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedValues.length));
  return sortedValues[Math.min(rank, sortedValues.length) - 1];
}

/** Gaps between consecutive arrivals, in arrival order. */
export function interArrivalIntervals(arrivalsMs: readonly number[]): number[] {
  const intervals: number[] = [];
  for (let i = 1; i < arrivalsMs.length; i++) intervals.push(arrivalsMs[i] - arrivalsMs[i - 1]);
  return intervals;
}

/** Mean, median, 99th percentile and maximum; all zero when there is no interval (fewer than two frames). */
export function summarizeIntervals(intervals: readonly number[]): IntervalSummary {
  if (intervals.length === 0) return { mean: 0, p50: 0, p99: 0, max: 0 };
  const sorted = [...intervals].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return { mean: sum / sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** Intervals kept sorted as they arrive, so a live summary costs no sort however long the run. */
export class IntervalTally {
  private readonly sorted: number[] = [];
  private sum = 0;

  add(interval: number): void {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle] <= interval) low = middle + 1;
      else high = middle;
    }
    this.sorted.splice(low, 0, interval);
    this.sum += interval;
  }

  /** The same figures as summarizeIntervals over the intervals added so far. */
  summary(): IntervalSummary {
    const count = this.sorted.length;
    if (count === 0) return { mean: 0, p50: 0, p99: 0, max: 0 };
    return { mean: this.sum / count, p50: percentile(this.sorted, 50), p99: percentile(this.sorted, 99), max: this.sorted[count - 1] };
  }
}

/**
 * How late the last frame came compared with a perfect clock started at the first frame:
 * last arrival − (first arrival + (last number − first number) × period). Positive = the sender fell behind.
 */
export function cumulativeDrift(frames: readonly FrameArrival[], periodMs: number): number {
  if (frames.length < 2) return 0;
  const first = frames[0];
  const last = frames[frames.length - 1];
  return last.arrivalMs - (first.arrivalMs + (last.number - first.number) * periodMs);
}
