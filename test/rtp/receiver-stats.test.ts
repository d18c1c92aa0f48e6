import { describe, expect, test } from "bun:test";
import { ReceiverStats } from "../../lib/rtp/receiver-stats.ts";

/** Records packets 50 ms / 4500 ticks apart unless told otherwise. */
function statsFor(sequences: number[]): ReceiverStats {
  const stats = new ReceiverStats(90000);
  sequences.forEach((sequence, index) => stats.record(sequence, index * 4500, index * 50));
  return stats;
}

function counts(stats: ReceiverStats) {
  return { received: stats.received, expected: stats.expected, lost: stats.lost, duplicates: stats.duplicates, outOfOrder: stats.outOfOrder };
}

describe("sequence tracking (RFC 3550 A.1)", () => {
  const cases: { name: string; sequences: number[]; expected: ReturnType<typeof counts>; highest: number }[] = [
    { name: "nothing yet", sequences: [], expected: { received: 0, expected: 0, lost: 0, duplicates: 0, outOfOrder: 0 }, highest: 0 },
    { name: "in order", sequences: [5, 6, 7], expected: { received: 3, expected: 3, lost: 0, duplicates: 0, outOfOrder: 0 }, highest: 7 },
    {
      name: "wrap from 65535 to 0",
      sequences: [65534, 65535, 0, 1],
      expected: { received: 4, expected: 4, lost: 0, duplicates: 0, outOfOrder: 0 },
      highest: 0x1_0001,
    },
    { name: "loss", sequences: [10, 11, 13, 16], expected: { received: 4, expected: 7, lost: 3, duplicates: 0, outOfOrder: 0 }, highest: 16 },
    { name: "reorder", sequences: [1, 2, 4, 3, 5], expected: { received: 5, expected: 5, lost: 0, duplicates: 0, outOfOrder: 1 }, highest: 5 },
    {
      name: "late packet across the wrap",
      sequences: [65535, 1, 0],
      expected: { received: 3, expected: 3, lost: 0, duplicates: 0, outOfOrder: 1 },
      highest: 0x1_0001,
    },
    {
      name: "duplicates of the newest and of an older packet",
      sequences: [1, 2, 2, 3, 2],
      expected: { received: 3, expected: 3, lost: 0, duplicates: 2, outOfOrder: 0 },
      highest: 3,
    },
    {
      name: "a duplicate of a late packet",
      sequences: [1, 3, 2, 2],
      expected: { received: 3, expected: 3, lost: 0, duplicates: 1, outOfOrder: 1 },
      highest: 3,
    },
    {
      name: "one wild jump is ignored",
      sequences: [100, 101, 30000, 102],
      expected: { received: 3, expected: 3, lost: 0, duplicates: 0, outOfOrder: 0 },
      highest: 102,
    },
    {
      name: "a jump confirmed by the next packet restarts the count (sender restart)",
      sequences: [100, 101, 30000, 30001, 30002],
      expected: { received: 2, expected: 2, lost: 0, duplicates: 0, outOfOrder: 0 },
      highest: 30002,
    },
    {
      name: "a second lap reuses sequence numbers without calling them duplicates",
      sequences: Array.from({ length: 70000 }, (_, i) => i & 0xffff),
      expected: { received: 70000, expected: 70000, lost: 0, duplicates: 0, outOfOrder: 0 },
      highest: 69999,
    },
  ];
  for (const entry of cases) {
    test(entry.name, () => {
      const stats = statsFor(entry.sequences);
      expect(counts(stats)).toEqual(entry.expected);
      expect(stats.reportBlock(1, 0, 0).highestSequence).toBe(entry.highest);
    });
  }
});

test("report blocks give fraction lost per interval and cumulative loss (RFC 3550 A.3)", () => {
  const stats = new ReceiverStats(90000);
  for (const sequence of [10, 11, 13, 16]) stats.record(sequence, 0, 0);
  expect(stats.reportBlock(0xabc, 0x1234, 0x10000)).toEqual({
    ssrc: 0xabc,
    fractionLost: 109, // floor(3 * 256 / 7)
    cumulativeLost: 3,
    highestSequence: 16,
    jitter: 0,
    lastSr: 0x1234,
    delaySinceLastSr: 0x10000,
  });
  for (const sequence of [17, 18]) stats.record(sequence, 0, 0);
  expect(stats.reportBlock(0xabc, 0, 0)).toMatchObject({ fractionLost: 0, cumulativeLost: 3, highestSequence: 18 });
  for (const sequence of [20]) stats.record(sequence, 0, 0);
  expect(stats.reportBlock(0xabc, 0, 0)).toMatchObject({ fractionLost: 128, cumulativeLost: 4, highestSequence: 20 });
  expect(stats.reportBlock(0xabc, 0, 0)).toMatchObject({ fractionLost: 0, cumulativeLost: 4 });
});

test("interarrival jitter matches a hand computation (RFC 3550 A.8)", () => {
  const stats = new ReceiverStats(90000);
  // Frames 50 ms (4500 ticks) apart arrive at 0, 50, 110, 150, 200 ms.
  const arrivals = [0, 50, 110, 150, 200];
  arrivals.forEach((arrival, index) => stats.record(index, index * 4500, arrival));
  // |D| per packet: -, 0, 900, 900, 0 ticks; J += (|D| - J) / 16.
  let expected = 0;
  for (const difference of [0, 900, 900, 0]) expected += (difference - expected) / 16;
  expect(expected).toBeCloseTo(102.1728515625, 10);
  expect(stats.jitter).toBeCloseTo(expected, 10);
  expect(stats.reportBlock(1, 0, 0).jitter).toBe(102);
});

test("jitter is unaffected by the 32-bit timestamp wrap", () => {
  const stats = new ReceiverStats(90000);
  const start = 2 ** 32 - 9000;
  for (let i = 0; i < 6; i++) stats.record(i, (start + i * 4500) >>> 0, i * 50);
  expect(stats.jitter).toBe(0);
});

test("packets of one frame share a timestamp: jitter sees only their arrival spread", () => {
  const stats = new ReceiverStats(90000);
  stats.record(0, 1000, 0);
  stats.record(1, 1000, 1);
  expect(stats.jitter).toBeCloseTo(90 / 16, 10);
});
