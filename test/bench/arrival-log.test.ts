import { describe, expect, test } from "bun:test";
import { ArrivalLog } from "../../lib/bench/arrival-log.ts";

describe("ArrivalLog", () => {
  test("gives back every arrival in order, past its first capacity", () => {
    const log = new ArrivalLog();
    for (let n = 1; n <= 2000; n++) log.add(n, n * 50.25);
    expect(log.length).toBe(2000);
    const frames = log.between();
    expect(frames.length).toBe(2000);
    expect(frames[0]).toEqual({ number: 1, arrivalMs: 50.25 });
    expect(frames[1999]).toEqual({ number: 2000, arrivalMs: 2000 * 50.25 });
    expect(frames.every((frame, i) => frame.number === i + 1)).toBe(true);
  });

  test("a window keeps both of its edges and the arrival order, even when numbers come out of order", () => {
    const log = new ArrivalLog();
    for (const [number, arrivalMs] of [[1, 100], [3, 150], [2, 151], [4, 200], [5, 250.5]]) log.add(number, arrivalMs);
    expect(log.between(150, 200)).toEqual([
      { number: 3, arrivalMs: 150 },
      { number: 2, arrivalMs: 151 },
      { number: 4, arrivalMs: 200 },
    ]);
    expect(log.between(300, 400)).toEqual([]);
  });

  test("empty", () => {
    expect(new ArrivalLog().between()).toEqual([]);
  });
});
