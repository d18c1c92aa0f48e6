import { describe, expect, test } from "bun:test";
import { cumulativeDrift, interArrivalIntervals, IntervalTally, percentile, summarizeIntervals } from "../../lib/client/frame-timing.ts";

describe("percentile (nearest rank)", () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  test.each([
    [0, 10],
    [10, 10],
    [11, 20],
    [50, 50],
    [90, 90],
    [99, 100],
    [100, 100],
  ])("p%d of 10..100 is %d", (p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
  test("a single value is every percentile", () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });
  test("no values gives NaN", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("intervals", () => {
  test("gaps between consecutive arrivals", () => {
    expect(interArrivalIntervals([100, 150, 210, 250])).toEqual([50, 60, 40]);
    expect(interArrivalIntervals([5])).toEqual([]);
  });
  test("summary of a known list", () => {
    const intervals = [50, 50, 50, 50, 50, 50, 50, 50, 50, 150];
    expect(summarizeIntervals(intervals)).toEqual({ mean: 60, p50: 50, p99: 150, max: 150 });
  });
  test("summary does not reorder its input", () => {
    const intervals = [3, 1, 2];
    expect(summarizeIntervals(intervals).p50).toBe(2);
    expect(intervals).toEqual([3, 1, 2]);
  });
  test("no intervals summarize as zeros", () => {
    expect(summarizeIntervals([])).toEqual({ mean: 0, p50: 0, p99: 0, max: 0 });
    expect(new IntervalTally().summary()).toEqual({ mean: 0, p50: 0, p99: 0, max: 0 });
  });
  test("a tally kept sorted as intervals arrive summarizes like summarizeIntervals", () => {
    const tally = new IntervalTally();
    const intervals: number[] = [];
    let seed = 2435;
    for (let i = 0; i < 1000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const interval = 40 + (seed % 2000) / 100; // 40..60 ms, with repeats
      intervals.push(interval);
      tally.add(interval);
      if (i % 97 === 0) {
        const { mean, ...order } = tally.summary();
        const expected = summarizeIntervals(intervals);
        expect(order).toEqual({ p50: expected.p50, p99: expected.p99, max: expected.max });
        expect(mean).toBeCloseTo(expected.mean, 9);
      }
    }
  });
});

describe("cumulative drift", () => {
  test("a perfect clock has no drift", () => {
    const frames = [1, 2, 3, 4].map((n) => ({ number: n, arrivalMs: 1000 + (n - 1) * 50 }));
    expect(cumulativeDrift(frames, 50)).toBe(0);
  });
  test("a sender that sleeps 51 ms per frame falls 1 ms behind per frame", () => {
    const frames = Array.from({ length: 500 }, (_, i) => ({ number: i + 1, arrivalMs: i * 51 }));
    expect(cumulativeDrift(frames, 50)).toBe(499);
  });
  test("lost frames in between do not count as drift", () => {
    const frames = [
      { number: 1, arrivalMs: 0 },
      { number: 5, arrivalMs: 200 },
      { number: 10, arrivalMs: 440 },
    ];
    expect(cumulativeDrift(frames, 50)).toBe(-10);
  });
  test("fewer than two frames have no drift", () => {
    expect(cumulativeDrift([], 50)).toBe(0);
    expect(cumulativeDrift([{ number: 3, arrivalMs: 9 }], 50)).toBe(0);
  });
});
