// `rtsp play` against GStreamer's own RTSP server (test/peers/gst-rtsp-server.py serving the bundled movie's frames at
// 20 fps, looping): over UDP and TCP the frames are saved 00001.jpg…, each decodes to consecutive frames of the movie
// from wherever the shared media stood, and the report describes the run.
import { describe, expect, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { PlayReport } from "../../lib/client/play.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import {
  BUNDLED_MOVIE,
  bundledMovieSuite,
  decodedMd5sOfFolder,
  REPO,
  run,
  startGstRtspServer,
} from "./peers.ts";

/** Five seconds at the peer's 20 fps. */
const FRAMES = 100;

const suite = bundledMovieSuite("rtsp-interop-play-gst-", () => startGstRtspServer(BUNDLED_MOVIE));

describe("rtsp play against GStreamer's RTSP server", () => {
  for (const transport of ["udp", "tcp"] as const) {
    test(`over ${transport}: ${FRAMES} frames saved in order, each a frame of the movie, report sane`, async () => {
      const out = join(suite.scratch, transport);
      const reportPath = join(suite.scratch, `${transport}.json`);
      const { code, stderr } = await run(
        ["bun", join(REPO, "cmd", "rtsp.ts"), "play", suite.server.url, "--ui", "none", "--dialect", "rtsp", "--transport", transport,
          "--frames", String(FRAMES), "--timeout", "10", "--out", out, "--report", reportPath],
        60_000,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });

      expect((await readdir(out)).sort()).toEqual(frameFileNames(FRAMES, 1));
      const received = await decodedMd5sOfFolder(out, 1); // rtsp play numbers frames from 1
      // The shared media may already be running: the first frame can be any of the movie's, the rest must follow it.
      const first = suite.sourceMd5s.indexOf(received[0]);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(received).toEqual(Array.from({ length: FRAMES }, (_, i) => suite.sourceMd5s[(first + i) % suite.movie.frameCount]));

      const report: PlayReport = await Bun.file(reportPath).json();
      expect(report).toMatchObject({ dialect: "rtsp", transport, framesReceived: FRAMES, framesDropped: 0, endedBy: "frames-limit" });
      expect(report.packets).toMatchObject({ lost: 0, duplicates: 0 });
      expect(report.packets.received).toBeGreaterThanOrEqual(FRAMES);
      expect(report.bytes).toBeGreaterThan(0);
      expect(report.interFrameIntervalMs.targetMs).toBe(50);
      expect(report.server?.packetCount).toBeGreaterThan(0);
    }, 120_000);
  }
});
