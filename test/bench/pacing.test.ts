import { describe, expect, test } from "bun:test";
import type { FrameArrival } from "../../lib/client/frame-timing.ts";
import {
  countLostFrames,
  measureStream,
  poolStreams,
  scheduleDeviations,
  scheduleDrift,
  scheduleOffsets,
  summarizeDeviations,
} from "../../lib/bench/pacing.ts";

const frames = (...pairs: [number, number][]): FrameArrival[] => pairs.map(([number, arrivalMs]) => ({ number, arrivalMs }));

describe("scheduleOffsets", () => {
  test("each arrival minus (number − first number) × period, lost frames keeping their place", () => {
    expect(scheduleOffsets(frames([1, 1000], [2, 1051], [4, 1149]), 50)).toEqual([1000, 1001, 999]);
  });
});

describe("scheduleDeviations", () => {
  test("measures each arrival against the stream's median phase", () => {
    // Offsets 0, 1, −1, 0.5: the median (nearest rank) is 0.
    expect(scheduleDeviations(frames([1, 1000], [2, 1051], [3, 1099], [4, 1150.5]), 50)).toEqual([0, 1, 1, 0.5]);
  });

  test("a first frame that came late costs only its own figure", () => {
    const arrivals = frames([1, 1001.5], [2, 1050.3], [3, 1100.3], [4, 1150.3], [5, 1200.3]);
    expect(scheduleDeviations(arrivals, 50).map((d) => +d.toFixed(6))).toEqual([1.2, 0, 0, 0, 0]);
  });

  test("a constant offset is not deviation", () => {
    expect(scheduleDeviations(frames([4, 7.25], [5, 57.25], [6, 107.25]), 50)).toEqual([0, 0, 0]);
  });

  test("a lost frame does not shift the schedule of the frames after it", () => {
    // Frame 3 never came; frame 4 is on time at 1000 + 3 × 50.
    expect(scheduleDeviations(frames([1, 1000], [2, 1050], [4, 1150]), 50)).toEqual([0, 0, 0]);
  });

  test("a sender that sleeps 50 ms after each send deviates both ways from its middle", () => {
    // Offsets 0, 0.4, 0.8, 1.2: the median (nearest rank) is 0.4.
    expect(scheduleDeviations(frames([1, 0], [2, 50.4], [3, 100.8], [4, 151.2]), 50).map((d) => +d.toFixed(6))).toEqual([0.4, 0, 0.4, 0.8]);
  });

  test("no frames, no deviations", () => {
    expect(scheduleDeviations([], 50)).toEqual([]);
  });
});

describe("scheduleDrift", () => {
  const run = (count: number, offset: (n: number) => number) =>
    Array.from({ length: count }, (_, n) => ({ number: n + 1, arrivalMs: 1000 + n * 50 + offset(n) }));

  test("a sender 0.4 ms slow per frame drifts by the difference between its first and last second", () => {
    // 100 frames: the first second's median offset is frame 9's (3.6 ms), the last second's frame 89's (35.6 ms).
    expect(scheduleDrift(run(100, (n) => 0.4 * n), 50)).toBeCloseTo(32, 6);
  });

  test("a late first frame or a late last frame is not drift", () => {
    expect(scheduleDrift(run(100, (n) => (n === 0 ? 2 : 0)), 50)).toBe(0);
    expect(scheduleDrift(run(100, (n) => (n === 99 ? 5 : 0)), 50)).toBe(0);
  });

  test("a short run compares its first and last quarter", () => {
    expect(scheduleDrift(frames([1, 0], [2, 49], [3, 98]), 50)).toBe(-2);
    expect(scheduleDrift(frames([1, 0], [2, 50], [3, 100], [4, 150], [5, 200], [6, 250], [7, 300.5], [8, 350.5]), 50)).toBe(0.5);
  });

  test("fewer than two frames: no drift", () => {
    expect(scheduleDrift([], 50)).toBe(0);
    expect(scheduleDrift(frames([3, 9]), 50)).toBe(0);
  });
});

describe("summarizeDeviations", () => {
  test("nearest-rank p50 and p99, and the maximum", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(summarizeDeviations(values.reverse())).toEqual({ p50: 50, p99: 99, max: 100 });
  });

  test("zeros when empty", () => {
    expect(summarizeDeviations([])).toEqual({ p50: 0, p99: 0, max: 0 });
  });
});

describe("countLostFrames", () => {
  test.each([
    [[1, 2, 3, 4], 0],
    [[1, 2, 5], 2],
    [[10, 12, 11, 14], 1],
    [[7], 0],
    [[], 0],
    [[3, 3, 4], 0],
  ])("%p → %p lost", (numbers, lost) => {
    expect(countLostFrames(numbers.map((number, i) => ({ number, arrivalMs: i })))).toBe(lost);
  });
});

describe("measureStream", () => {
  test("combines counts, intervals, deviations, drift and the first-frame delay", () => {
    const received = frames([1, 100], [2, 150], [3, 201], [5, 302]);
    const measured = measureStream({ frames: received, firstFrameAfterPlayMs: 0.4 }, 50);
    expect(measured.intervals).toEqual([50, 51, 101]);
    expect(measured.deviations).toEqual([0, 0, 1, 2]); // one per frame, in arrival order, for the timeline
    expect(measured.pacing).toEqual({
      framesReceived: 4,
      framesLost: 1,
      intervalMs: { mean: 202 / 3, p50: 51, p99: 101, max: 101 },
      deviationMs: { p50: 0, p99: 2, max: 2 },
      driftMs: 2,
      firstFrameAfterPlayMs: 0.4,
    });
  });
});

describe("poolStreams", () => {
  test("pools intervals and deviations of every stream and keeps the drift range", () => {
    const early = frames([1, 0], [2, 49], [3, 98]); // offsets 0, −1, −2: deviations 1, 0, 1; drift −2
    const late = frames([7, 10], [8, 61], [9, 113]); // offsets 10, 11, 13: deviations 1, 0, 2; drift +3
    const pooled = poolStreams([
      measureStream({ frames: early, firstFrameAfterPlayMs: 0.5 }, 50),
      measureStream({ frames: late, firstFrameAfterPlayMs: null }, 50),
    ]);
    expect(pooled.streams).toBe(2);
    expect(pooled.framesReceived).toBe(6);
    expect(pooled.framesLost).toBe(0);
    expect(pooled.intervalMs).toEqual({ mean: (49 + 49 + 51 + 52) / 4, p50: 49, p99: 52, max: 52 });
    expect(pooled.deviationMs).toEqual({ p50: 1, p99: 2, max: 2 });
    expect(pooled.driftMs).toEqual({ min: -2, max: 3 });
    expect(pooled.firstFrameAfterPlayMs).toEqual({ p50: 0.5, max: 0.5 });
  });

  test("no streams: zeros and no first-frame figure", () => {
    const pooled = poolStreams([]);
    expect(pooled.framesReceived).toBe(0);
    expect(pooled.driftMs).toEqual({ min: 0, max: 0 });
    expect(pooled.firstFrameAfterPlayMs).toBeNull();
  });
});
