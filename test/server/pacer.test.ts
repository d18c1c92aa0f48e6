import { describe, expect, test } from "bun:test";
import { Pacer, type PacedRun, type PacerClock } from "../../lib/server/pacer.ts";

/** A hand-driven clock: time moves only when the test (or a send that "takes time") says so. */
class FakeClock implements PacerClock {
  time = 1000;
  private timers: Array<{ at: number; delayMs: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  /** How many timers were set. */
  timersSet = 0;
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timersSet++;
    this.timers.push({ at: this.time + delayMs, delayMs, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  /** How long the pacer busy-waited in total, and how often. */
  waitedMs = 0;
  waits = 0;
  waitUntil(deadline: number): void {
    this.waits++;
    this.waitedMs += Math.max(0, deadline - this.time);
    this.time = Math.max(this.time, deadline);
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
  /** Runs timers in order until `until`, firing each `lateMs` (or `lateMs(its delay)`) after its requested time. */
  advanceTo(until: number, lateMs: number | ((delayMs: number) => number) = 0): void {
    const lateness = typeof lateMs === "number" ? () => lateMs : lateMs;
    for (;;) {
      this.timers.sort((a, b) => a.at + lateness(a.delayMs) - (b.at + lateness(b.delayMs)));
      const timer = this.timers[0];
      if (!timer || timer.at + lateness(timer.delayMs) > until) break;
      this.timers.shift();
      this.time = Math.max(this.time, timer.at + lateness(timer.delayMs));
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
    // Each frame goes out no earlier than its deadline (less the batching tolerance) and the lateness does not accumulate.
    sent.forEach(([n, at]) => {
      expect(at).toBeGreaterThanOrEqual(1000 + n * 50 - 0.5);
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

  test("runs due within the early tolerance go out in one batch, none before it", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock, earlyMs: 0.5 });
    const sent: Array<[string, number, number]> = [];
    const run = (name: string): PacedRun => ({
      sendFrame(n) {
        sent.push([name, n, clock.now()]);
        return n < 1;
      },
    });
    pacer.start(run("a"));
    clock.time += 0.3;
    pacer.start(run("b"));
    clock.time += 0.6;
    pacer.start(run("c"));
    clock.advanceTo(2000);
    const frameOne = sent.filter(([, n]) => n === 1);
    // a (due 1050) and b (due 1050.3) share a tick; c (due 1050.9) is more than 0.5 ms after that tick.
    expect(frameOne.map(([name]) => name)).toEqual(["a", "b", "c"]);
    expect(frameOne[0][2]).toBe(frameOne[1][2]);
    expect(frameOne[2][2]).toBeGreaterThan(frameOne[1][2]);
    for (const [name, , at] of frameOne) {
      const due = { a: 1050, b: 1050.3, c: 1050.9 }[name]!;
      expect(at).toBeGreaterThanOrEqual(due - 0.5);
    }
  });

  test("an isolated deadline is met exactly with one short busy wait per frame", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock, spinMs: 2 });
    const sent: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 21, sent));
    clock.advanceTo(3000, 0.2);
    expect(sent).toHaveLength(21);
    sent.forEach(([n, at]) => expect(at).toBe(1000 + n * 50));
    expect(clock.waits).toBe(20);
    expect(clock.waitedMs).toBeLessThanOrEqual(20 * 2);
  });

  test("an isolated deadline is waited for even when the timer fires inside the early tolerance", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock, spinMs: 2, earlyMs: 0.5 });
    const sent: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 5, sent));
    // Armed ~1 ms ahead, each timer fires 0.8 ms late: 0.2 ms before the deadline, within the 0.5 ms tolerance.
    clock.advanceTo(2000, 0.8);
    sent.forEach(([n, at]) => expect(at).toBe(1000 + n * 50));
  });

  test("a long sleep stretched by a collection does not make an isolated frame late", () => {
    // Bun sleeps toward its next timer from a clock read before JavaScriptCore's GC timers ran in the same turn, so a
    // collection during a sleep makes the timer after it late by the collection's length (up to ~13 ms seen). Here
    // every timer longer than the 2 ms steps fires 9 ms late: the long sleep, ending 10 ms early, leaves room for that.
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock, spinMs: 2, approachMs: 10, stepMs: 2 });
    const sent: Array<[number, number]> = [];
    pacer.start(recordingRun(clock, 11, sent));
    clock.advanceTo(2000, (delayMs) => (delayMs > 2 ? 9 : 0.2));
    expect(sent).toHaveLength(11);
    sent.forEach(([n, at]) => expect(at).toBe(1000 + n * 50));
    // One long sleep and a few short steps per frame, not a timer every millisecond.
    expect(clock.timersSet).toBeLessThanOrEqual(10 * 7);
  });

  test("crowded deadlines are batched and never busy-waited for", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock });
    const sent: Array<[number, number, number]> = [];
    // 1000 runs with phases spread over one period by a fixed-seed generator: ~20 deadlines per millisecond.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const runCount = 1000;
    const starts = Array.from({ length: runCount }, () => 1000 + random() * 50).sort((x, y) => x - y);
    for (let i = 0; i < runCount; i++) {
      clock.time = starts[i];
      const id = i;
      pacer.start({
        sendFrame(n) {
          sent.push([id, n, clock.now()]);
          return n < 4;
        },
      });
    }
    let ticks = 0;
    const sentBefore = sent.length;
    for (let t = 1051; t <= 1300; t++) {
      const before = sent.length;
      clock.advanceTo(t, 0.1);
      if (sent.length > before) ticks++;
    }
    expect(sent.length - sentBefore).toBe(runCount * 4);
    expect(clock.waits).toBe(0);
    // About one tick per millisecond of schedule (4 periods of 50 ms), not one per deadline.
    expect(ticks).toBeLessThanOrEqual(4 * 50 + 4);
    for (const [id, n, at] of sent) {
      const due = starts[id] + n * 50;
      expect(at).toBeGreaterThanOrEqual(due - 0.5);
      expect(at).toBeLessThanOrEqual(due + 2);
    }
    expect(pacer.activeRuns).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  test("a run stopped by another run's send in the same batch sends nothing more", () => {
    const clock = new FakeClock();
    const pacer = new Pacer({ periodMs: 50, clock });
    const sentB: number[] = [];
    const b: PacedRun = {
      sendFrame(n) {
        sentB.push(n);
        return true;
      },
    };
    const a: PacedRun = {
      sendFrame(n) {
        if (n === 1) pacer.stop(b);
        return n < 1;
      },
    };
    pacer.start(a);
    pacer.start(b);
    clock.advanceTo(2000);
    expect(sentB).toEqual([0]);
    expect(pacer.activeRuns).toBe(0);
  });
});
