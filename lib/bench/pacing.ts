// Pacing of one received stream against its ideal schedule, and the pooled figures over many streams.
// Interval, percentile and drift math comes from the client's frame-timing; what is bench-only lives here.
import {
  cumulativeDrift,
  interArrivalIntervals,
  percentile,
  summarizeIntervals,
  type FrameArrival,
  type IntervalSummary,
} from "../client/frame-timing.ts";

export interface DeviationSummary {
  p50: number;
  p99: number;
  max: number;
}

export interface StreamPacing {
  framesReceived: number;
  /** Frames missing between the first and the last received one (by frame number). */
  framesLost: number;
  intervalMs: IntervalSummary;
  deviationMs: DeviationSummary;
  driftMs: number;
  firstFrameAfterPlayMs: number | null;
}

/** Per received frame: how far its arrival is from first arrival + (number − first number) × period, in ms. */
export function scheduleDeviations(frames: readonly FrameArrival[], periodMs: number): number[] {
  if (frames.length === 0) return [];
  const first = frames[0];
  return frames.map((frame) => Math.abs(frame.arrivalMs - (first.arrivalMs + (frame.number - first.number) * periodMs)));
}

export function summarizeDeviations(deviations: readonly number[]): DeviationSummary {
  if (deviations.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...deviations].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** Numbers that never arrived between the lowest and highest received frame numbers. */
export function countLostFrames(frames: readonly FrameArrival[]): number {
  if (frames.length === 0) return 0;
  const numbers = new Set(frames.map((frame) => frame.number));
  let lowest = Infinity;
  let highest = -Infinity;
  for (const number of numbers) {
    lowest = Math.min(lowest, number);
    highest = Math.max(highest, number);
  }
  return highest - lowest + 1 - numbers.size;
}

/** What a measuring client recorded for one stream. */
export interface StreamRecord {
  /** In arrival order. */
  frames: readonly FrameArrival[];
  /** From the PLAY reply to the stream's very first frame (which may precede `frames` when they are a window). */
  firstFrameAfterPlayMs: number | null;
}

export function summarizeStream({ frames, firstFrameAfterPlayMs }: StreamRecord, periodMs: number): StreamPacing {
  return {
    framesReceived: frames.length,
    framesLost: countLostFrames(frames),
    intervalMs: summarizeIntervals(interArrivalIntervals(frames.map((frame) => frame.arrivalMs))),
    deviationMs: summarizeDeviations(scheduleDeviations(frames, periodMs)),
    driftMs: cumulativeDrift(frames, periodMs),
    firstFrameAfterPlayMs,
  };
}

export interface PooledPacing {
  streams: number;
  framesReceived: number;
  framesLost: number;
  /** Every stream's intervals pooled. */
  intervalMs: IntervalSummary;
  /** Every stream's deviations pooled. */
  deviationMs: DeviationSummary;
  /** Smallest and largest per-stream cumulative drift. */
  driftMs: { min: number; max: number };
  firstFrameAfterPlayMs: { p50: number; max: number } | null;
}

export function poolStreams(records: readonly StreamRecord[], periodMs: number): PooledPacing {
  const intervals: number[] = [];
  const deviations: number[] = [];
  const firstFrames: number[] = [];
  let framesReceived = 0;
  let framesLost = 0;
  let driftMin = Infinity;
  let driftMax = -Infinity;
  for (const { frames, firstFrameAfterPlayMs } of records) {
    for (const interval of interArrivalIntervals(frames.map((frame) => frame.arrivalMs))) intervals.push(interval);
    for (const deviation of scheduleDeviations(frames, periodMs)) deviations.push(deviation);
    framesReceived += frames.length;
    framesLost += countLostFrames(frames);
    const drift = cumulativeDrift(frames, periodMs);
    driftMin = Math.min(driftMin, drift);
    driftMax = Math.max(driftMax, drift);
    if (firstFrameAfterPlayMs !== null) firstFrames.push(firstFrameAfterPlayMs);
  }
  firstFrames.sort((a, b) => a - b);
  return {
    streams: records.length,
    framesReceived,
    framesLost,
    intervalMs: summarizeIntervals(intervals),
    deviationMs: summarizeDeviations(deviations),
    driftMs: records.length === 0 ? { min: 0, max: 0 } : { min: driftMin, max: driftMax },
    firstFrameAfterPlayMs: firstFrames.length === 0 ? null : { p50: percentile(firstFrames, 50), max: firstFrames[firstFrames.length - 1] },
  };
}
