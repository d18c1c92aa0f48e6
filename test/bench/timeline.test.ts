import { expect, test } from "bun:test";
import type { FrameArrival } from "../../lib/client/frame-timing.ts";
import { measureStream } from "../../lib/bench/pacing.ts";
import { buildTimeline } from "../../lib/bench/timeline.ts";

const measured = (...streams: FrameArrival[][]) => streams.map((frames) => measureStream({ frames, firstFrameAfterPlayMs: null }, 50));

test("one stream: one bucket per period, interval and deviation of the frame in it", () => {
  const frames = [
    { number: 1, arrivalMs: 1000 },
    { number: 2, arrivalMs: 1052 },
    { number: 3, arrivalMs: 1100 },
  ];
  const points = buildTimeline(measured(frames), 50, 1000, 1150);
  expect(points).toEqual([
    { t: 0, intervalP50: null, intervalMax: null, deviationP50: 0, deviationMax: 0 },
    { t: 0.05, intervalP50: 52, intervalMax: 52, deviationP50: 2, deviationMax: 2 },
    { t: 0.1, intervalP50: 48, intervalMax: 48, deviationP50: 0, deviationMax: 0 },
  ]);
});

test("many streams share buckets: p50 and max across them", () => {
  const stream = (offset: number, late: number) => [
    { number: 1, arrivalMs: 1000 + offset },
    { number: 2, arrivalMs: 1050 + offset + late },
  ];
  const points = buildTimeline(measured(stream(0, 0), stream(1, 4), stream(2, 1)), 50, 1000, 1100);
  expect(points[1]).toEqual({ t: 0.05, intervalP50: 51, intervalMax: 54, deviationP50: 1, deviationMax: 4 });
});

test("a long window is capped at 400 buckets", () => {
  const frames = Array.from({ length: 2000 }, (_, i) => ({ number: i + 1, arrivalMs: i * 50 }));
  expect(buildTimeline(measured(frames), 50, 0, 100_000).length).toBe(400);
});
