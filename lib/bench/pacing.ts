// Pacing of one received stream against its ideal schedule, and the pooled figures over many streams.
// Interval and percentile math comes from the client's frame-timing; the schedule (phase, deviation, drift) is the
// bench's own.
import {
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

/** Each frame's arrival minus its place in the schedule: arrival − (number − first number) × period, in ms. */
export function scheduleOffsets(frames: readonly FrameArrival[], periodMs: number): number[] {
  if (frames.length === 0) return [];
  const firstNumber = frames[0].number;
  return frames.map((frame) => frame.arrivalMs - (frame.number - firstNumber) * periodMs);
}

function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/**
 * Per received frame, in ms: how far its arrival is from its ideal time, phase + (number − first number) × period.
 * The phase is the stream's median offset, not its first frame's: a constant offset (loopback latency, a first frame
 * that came late, the phase of a shared stream joined midway) is not pacing error, and one late first frame must not
 * shift every other frame's figure. Jitter and a rate error both still count.
 */
export function scheduleDeviations(frames: readonly FrameArrival[], periodMs: number): number[] {
  const offsets = scheduleOffsets(frames, periodMs);
  if (offsets.length === 0) return [];
  const phase = median(offsets);
  return offsets.map((offset) => Math.abs(offset - phase));
}

/**
 * Cumulative drift, in ms: the median offset of the last second of frames minus that of the first second (a quarter
 * of the frames each, for a run shorter than four seconds). Positive = the sender fell behind. Medians, so a single
 * late frame at either end is jitter, not drift.
 */
export function scheduleDrift(frames: readonly FrameArrival[], periodMs: number): number {
  const offsets = scheduleOffsets(frames, periodMs);
  if (offsets.length < 2) return 0;
  const edge = Math.max(1, Math.min(Math.round(1000 / periodMs), Math.floor(offsets.length / 4)));
  return median(offsets.slice(-edge)) - median(offsets.slice(0, edge));
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
  /** From the PLAY request to the stream's very first frame (which may precede `frames` when they are a window). */
  firstFrameAfterPlayMs: number | null;
}

/** One stream's figures, worked out once: its summary, and the raw intervals and deviations the pool and the timeline use. */
export interface MeasuredStream {
  /** In arrival order. */
  frames: readonly FrameArrival[];
  intervals: number[];
  /** One per frame, in the same order. */
  deviations: number[];
  pacing: StreamPacing;
}

export function measureStream({ frames, firstFrameAfterPlayMs }: StreamRecord, periodMs: number): MeasuredStream {
  const intervals = interArrivalIntervals(frames.map((frame) => frame.arrivalMs));
  const deviations = scheduleDeviations(frames, periodMs);
  return {
    frames,
    intervals,
    deviations,
    pacing: {
      framesReceived: frames.length,
      framesLost: countLostFrames(frames),
      intervalMs: summarizeIntervals(intervals),
      deviationMs: summarizeDeviations(deviations),
      driftMs: scheduleDrift(frames, periodMs),
      firstFrameAfterPlayMs,
    },
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

export function poolStreams(streams: readonly MeasuredStream[]): PooledPacing {
  const intervals: number[] = [];
  const deviations: number[] = [];
  const firstFrames: number[] = [];
  let framesReceived = 0;
  let framesLost = 0;
  let driftMin = Infinity;
  let driftMax = -Infinity;
  for (const stream of streams) {
    for (const interval of stream.intervals) intervals.push(interval);
    for (const deviation of stream.deviations) deviations.push(deviation);
    const { pacing } = stream;
    framesReceived += pacing.framesReceived;
    framesLost += pacing.framesLost;
    driftMin = Math.min(driftMin, pacing.driftMs);
    driftMax = Math.max(driftMax, pacing.driftMs);
    if (pacing.firstFrameAfterPlayMs !== null) firstFrames.push(pacing.firstFrameAfterPlayMs);
  }
  firstFrames.sort((a, b) => a - b);
  return {
    streams: streams.length,
    framesReceived,
    framesLost,
    intervalMs: summarizeIntervals(intervals),
    deviationMs: summarizeDeviations(deviations),
    driftMs: streams.length === 0 ? { min: 0, max: 0 } : { min: driftMin, max: driftMax },
    firstFrameAfterPlayMs: firstFrames.length === 0 ? null : { p50: percentile(firstFrames, 50), max: firstFrames[firstFrames.length - 1] },
  };
}
