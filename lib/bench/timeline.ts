// Interval and deviation over time, bucketed so a chart of 1000 streams stays a few hundred points wide.
import { percentile } from "../client/frame-timing.ts";
import type { MeasuredStream } from "./pacing.ts";

export interface TimelinePoint {
  /** Bucket start, seconds since the measurement window opened. */
  t: number;
  intervalP50: number | null;
  intervalMax: number | null;
  deviationP50: number;
  deviationMax: number;
}

const MAX_BUCKETS = 400;

export function buildTimeline(streams: readonly MeasuredStream[], periodMs: number, startMs: number, endMs: number): TimelinePoint[] {
  const spanMs = Math.max(endMs - startMs, periodMs);
  const bucketCount = Math.min(MAX_BUCKETS, Math.ceil(spanMs / periodMs));
  const bucketMs = spanMs / bucketCount;
  const intervals: number[][] = Array.from({ length: bucketCount }, () => []);
  const deviations: number[][] = Array.from({ length: bucketCount }, () => []);
  const bucketOf = (arrivalMs: number) => Math.min(bucketCount - 1, Math.max(0, Math.floor((arrivalMs - startMs) / bucketMs)));
  for (const { frames, deviations: frameDeviations } of streams) {
    frames.forEach((frame, i) => {
      const bucket = bucketOf(frame.arrivalMs);
      deviations[bucket].push(frameDeviations[i]);
      if (i > 0) intervals[bucket].push(frame.arrivalMs - frames[i - 1].arrivalMs);
    });
  }
  const points: TimelinePoint[] = [];
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    if (deviations[bucket].length === 0) continue;
    const sortedIntervals = intervals[bucket].sort((a, b) => a - b);
    const sortedDeviations = deviations[bucket].sort((a, b) => a - b);
    points.push({
      t: (bucket * bucketMs) / 1000,
      intervalP50: sortedIntervals.length ? percentile(sortedIntervals, 50) : null,
      intervalMax: sortedIntervals.length ? sortedIntervals[sortedIntervals.length - 1] : null,
      deviationP50: percentile(sortedDeviations, 50),
      deviationMax: sortedDeviations[sortedDeviations.length - 1],
    });
  }
  return points;
}
