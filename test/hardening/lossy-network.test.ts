// The client through a seeded lossy relay: it plays on, saves only whole frames, and its report's lost, duplicate and
// out-of-order counts equal what the relay did.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import jpeg from "jpeg-js";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { playHeadless } from "../../lib/client/play.ts";
import { startTestServer, type TestServer } from "../server/harness.ts";
import { LossyRelay } from "./lossy-relay.ts";

const FRAMES = 100;
const RATES = { drop: 0.03, duplicate: 0.03, reorder: 0.03 };

let served: TestServer;
beforeAll(async () => {
  served = await startTestServer({ frames: FRAMES, maxPacket: 300 });
});
afterAll(async () => {
  await served.close();
});

describe("through a lossy relay", () => {
  test.each([
    ["rtsp", 3550],
    ["rtsp", 2435],
    ["lab", 3550],
    ["lab", 2326],
  ] as const)(
    "%s dialect, seed %d: the report's lost / duplicates / out of order equal the relay's counts",
    async (dialect, seed) => {
      const relay = await LossyRelay.start(served.server.port, RATES, seed);
      const out = await mkdtemp(join(tmpdir(), "rtsp-lossy-"));
      try {
        const report = await playHeadless({
          url: `rtsp://127.0.0.1:${relay.port}/movie.Mjpeg`,
          dialect,
          transport: "udp",
          outDir: out,
          timeoutMs: 3000,
        });
        const counts = relay.counts;
        expect(counts.dropped + counts.duplicated + counts.reordered).toBeGreaterThan(0);
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
      } finally {
        relay.stop();
        await rm(out, { recursive: true, force: true });
      }
    },
    20_000,
  );
});
