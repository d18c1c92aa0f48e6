import { describe, expect, test } from "bun:test";
import { Pacer, type PacedRun, type PacerClock } from "../../lib/server/pacer.ts";

/** A hand-driven clock: time moves only when the test (or a send that "takes time") says so. */
class FakeClock implements PacerClock {
  time = 1000;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  waitUntil(deadline: number): void {
    this.time = Math.max(this.time, deadline);
  }
  /** Runs timers in order until `until`, firing each `lateMs` after its requested time. */
  advanceTo(until: number, lateMs = 0): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const timer = this.timers[0];
      if (!timer || timer.at + lateMs > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, timer.at + lateMs);
      timer.callback();
    }
    this.time = Math.max(this.time, until);
  }
}

function recordingRun(clock: FakeClock, frames: number, sent: Array<[number, number]>, sendCostMs = 0): PacedRun {
  return {
    sendFrame(n) {
      sent.push([n, clock.now()]);
      clock.time += sendCostMs;
      return n + 1 < frames;
    },
  };
}

describe("Pacer", () => {
  test("sends frame 0 at once and frame n at start + n × period", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock });
    const sent: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 5, sent));
    expect(sent).toEqual([[0, 1000]]);
    clock.advanceTo(2000);
    expect(sent).toEqual([
      [0, 1000],
      [1, 1050],
      [2, 1100],
      [3, 1150],
      [4, 1200],
    ]);
    expect(pacer.activeRuns).toBe(0);
  });

  test("deadlines stay absolute when timers fire late and sends take time", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock });
    const sent: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 4, sent, 7));
    clock.advanceTo(2000, 3);
    // Each frame goes out no earlier than its deadline and the lateness does not accumulate.
    sent.forEach(([n, at]) => {
      expect(at).toBeGreaterThanOrEqual(1000 + n * 50);
      expect(at).toBeLessThan(1000 + n * 50 + 50);
    });
    expect(sent.map(([n]) => n)).toEqual([0, 1, 2, 3]);
  });

  test("stop ends a run; start again resumes with a fresh time base", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock });
    const sent: Array<[number, number]> = [];
    const run = recordingRun(clock, 100, sent);
    pacer.start(run);
    clock.advanceTo(1060);
    pacer.stop(run);
    clock.advanceTo(1500);
    expect(sent.map(([n]) => n)).toEqual([0, 1]);
    pacer.start(run);
    clock.advanceTo(1560);
    expect(sent.slice(2)).toEqual([
      [0, 1500],
      [1, 1550],
    ]);
  });

  test("runs are independent: one ending or throwing leaves the others on schedule", () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const pacer = new Pacer({ periodMs: 40, clock, onError: (error) => errors.push(error) });
    const a: Array<[number, number]> = [];
    const b: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 2, a));
    clock.advanceTo(1010);
    pacer.start(recordingRun(clock, 4, b));
    pacer.start({
      sendFrame(n) {
        if (n === 1) throw new Error("broken client");
        return true;
      },
    });
    clock.advanceTo(2000);
    expect(a).toEqual([
      [0, 1000],
      [1, 1040],
    ]);
    expect(b).toEqual([
      [0, 1010],
      [1, 1050],
      [2, 1090],
      [3, 1130],
    ]);
    expect(errors).toHaveLength(1);
    expect(pacer.activeRuns).toBe(0);
  });

  test("a run that fell behind sends its missed frames in order", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock });
    const sent: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 4, sent));
    clock.advanceTo(3000, 200);
    expect(sent.map(([n]) => n)).toEqual([0, 1, 2, 3]);
  });
});
