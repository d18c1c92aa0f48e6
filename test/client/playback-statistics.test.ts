import { describe, expect, test } from "bun:test";
import { PlaybackStatistics } from "../../lib/client/playback-statistics.ts";

const jpeg = new Uint8Array(100);

/** Lab-style packets: sequence number = frame number, one packet per frame, 50 ms apart. */
function receive(stats: PlaybackStatistics, numbers: number[], startMs: number): number {
  let t = startMs;
  for (const n of numbers) {
    stats.recordPacket(n, (n - 1) * 4500, t);
    stats.recordFrame({ number: n, jpeg, arrivalMs: t });
    t += 50;
  }
  return t;
}

describe("PlaybackStatistics across a seek", () => {
  test("frames still in flight after the seek request, then the jump: no loss, drift restarts at the jump", () => {
    let now = 0;
    const stats = new PlaybackStatistics(20, () => now);
    let t = receive(stats, [1, 2, 3, 4, 5], 0);
    now = t;
    stats.startSegment(); // FORWARD sent; frames 6 and 7 were already on their way
    t = receive(stats, [6, 7, 28, 29, 30], t);
    const snapshot = stats.snapshot();
    expect(snapshot.packets.lost).toBe(0);
    expect(snapshot.packets.received).toBe(10);
    expect(snapshot.driftMs).toBe(0);
    expect(snapshot.lastFrameNumber).toBe(30);
  });

  test("a gap long after the seek is loss", () => {
    let now = 0;
    const stats = new PlaybackStatistics(20, () => now);
    let t = receive(stats, [1, 2, 3], 0);
    now = t;
    stats.startSegment();
    t = receive(stats, [24, 25], t); // the seek's jump
    t = receive(stats, Array.from({ length: 30 }, (_, i) => 26 + i), t);
    receive(stats, [60, 61], t); // frames 56..59 lost, 1.6 s after the seek
    expect(stats.snapshot().packets.lost).toBe(4);
  });

  test("without a seek every gap is loss", () => {
    const stats = new PlaybackStatistics(20, () => 0);
    receive(stats, [1, 2, 5, 6], 0);
    expect(stats.snapshot().packets.lost).toBe(2);
  });
});

describe("PlaybackStatistics beside the server's sender reports", () => {
  test("packets sent between the first and the latest SR minus the distinct packets received meanwhile", () => {
    const stats = new PlaybackStatistics(20, () => 0);
    let t = receive(stats, [1, 2], 0);
    stats.recordSenderReport({ packetCount: 1002, octetCount: 100_200 }); // a shared stream: counts began before we joined
    expect(stats.snapshot().server?.packetsLost).toBe(0);
    t = receive(stats, [3, 3, 4, 6, 7], t); // 5 lost, 3 duplicated
    stats.recordSenderReport({ packetCount: 1007, octetCount: 100_700 });
    expect(stats.snapshot().server).toEqual({ packetCount: 1007, octetCount: 100_700, packetsLost: 1, lossFraction: 1 / 5 });
    expect(stats.snapshot().packets.lost).toBe(1);
  });
});
