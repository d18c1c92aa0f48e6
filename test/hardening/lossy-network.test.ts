// The client through a seeded lossy relay: it plays on, saves only whole frames, its report's lost, duplicate and
// out-of-order counts equal what the relay did, and delays show in its jitter.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import jpeg from "jpeg-js";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { playHeadless, type PlayReport } from "../../lib/client/play.ts";
import { startTestServer, type TestServer } from "../server/harness.ts";
import { LossyRelay, type FaultRates } from "./lossy-relay.ts";

const FRAMES = 100;
const RATES = { drop: 0.03, duplicate: 0.03, reorder: 0.03, delay: 0.05 };

let served: TestServer;
beforeAll(async () => {
  served = await startTestServer({ frames: FRAMES, maxPacket: 300 });
});
afterAll(async () => {
  await served.close();
});

async function playThrough(relay: LossyRelay, dialect: "rtsp" | "lab", outDir: string): Promise<PlayReport> {
  return playHeadless({ url: `rtsp://127.0.0.1:${relay.port}/movie.Mjpeg`, dialect, transport: "udp", outDir, timeoutMs: 3000 });
}

async function withRelay<T>(rates: FaultRates, seed: number, body: (relay: LossyRelay, outDir: string) => Promise<T>): Promise<T> {
  const relay = await LossyRelay.start(served.server.port, rates, seed);
  const outDir = await mkdtemp(join(tmpdir(), "rtsp-lossy-"));
  try {
    return await body(relay, outDir);
  } finally {
    relay.stop();
    await rm(outDir, { recursive: true, force: true });
  }
}

describe("through a lossy relay", () => {
  // Seed 3550 on the standard path loses a packet among the last 31, so the frames behind it are still in the
  // client's reorder window when the stream ends: they must be drained, not forgotten.
  test.each([
    ["rtsp", 3550],
    ["rtsp", 7],
    ["lab", 3550],
    ["lab", 2326],
  ] as const)(
    "%s dialect, seed %d: the report's lost / duplicates / out of order equal the relay's counts",
    async (dialect, seed) => {
      await withRelay(RATES, seed, async (relay, out) => {
        const report = await playThrough(relay, dialect, out);
        const counts = relay.counts;
        expect(counts.dropped * counts.duplicated * counts.reordered * counts.delayed).toBeGreaterThan(0);
        expect(report.packets).toMatchObject({ lost: counts.dropped, duplicates: counts.duplicated, outOfOrder: counts.reordered });
        expect(report.framesReceived).toBe(counts.frames.size - relay.damagedFrames.size);
        if (relay.damagedFrames.size > 0) {
          expect(report.endedBy).toBe("error");
          expect(report.error).toContain(`of ${FRAMES} frames`);
        }
        const saved = await readdir(out);
        expect(saved).toHaveLength(report.framesReceived);
        for (const name of saved) {
          const image = jpeg.decode(await readFile(join(out, name)));
          expect([image.width, image.height]).toEqual([64, 48]);
        }
      });
    },
    20_000,
  );

  test.each(["rtsp", "lab"] as const)(
    "%s dialect: delayed packets raise the report's jitter above an undelayed run's",
    async (dialect) => {
      const play = (delay: number) =>
        withRelay({ drop: 0, duplicate: 0, reorder: 0, delay }, 3550, async (relay, out) => {
          const report = await playThrough(relay, dialect, out);
          expect(relay.counts.delayed > 0).toBe(delay > 0);
          return report;
        });
      const steady = await play(0);
      const delayed = await play(0.2);
      expect(delayed.framesReceived).toBe(FRAMES);
      expect(delayed.jitterMs).toBeGreaterThan(0);
      expect(delayed.jitterMs).toBeGreaterThan(steady.jitterMs);
    },
    20_000,
  );
});
