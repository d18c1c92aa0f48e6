// `rtsp play` against GStreamer's own RTSP server (test/peers/gst-rtsp-server.py serving the bundled movie's frames at
// 20 fps, looping): over UDP and TCP the frames are saved 00001.jpg…, each decodes to consecutive frames of the movie
// from wherever the shared media stood, and the report describes the run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { PlayReport } from "../../lib/client/play.ts";
import type { Movie } from "../../lib/media/movie.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import {
  BUNDLED_MOVIE,
  bundledMovieReference,
  decodedMd5sOfFolder,
  REPO,
  run,
  startGstRtspServer,
  type RunningPeer,
} from "./peers.ts";

/** Five seconds at the peer's 20 fps. */
const FRAMES = 100;

let server: RunningPeer;
let movie: Movie;
let scratch: string;
let sourceMd5s: string[];

beforeAll(async () => {
  ({ movie, scratch, sourceMd5s } = await bundledMovieReference("rtsp-interop-play-gst-"));
  server = await startGstRtspServer(BUNDLED_MOVIE);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe("rtsp play against GStreamer's RTSP server", () => {
  for (const transport of ["udp", "tcp"] as const) {
    test(`over ${transport}: ${FRAMES} frames saved in order, each a frame of the movie, report sane`, async () => {
      const out = join(scratch, transport);
      const reportPath = join(scratch, `${transport}.json`);
      const { code, stderr } = await run(
        ["bun", join(REPO, "cmd", "rtsp.ts"), "play", server.url, "--ui", "none", "--dialect", "rtsp", "--transport", transport,
          "--frames", String(FRAMES), "--timeout", "10", "--out", out, "--report", reportPath],
        60_000,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });

      expect((await readdir(out)).sort()).toEqual(frameFileNames(FRAMES, 1));
      const received = await decodedMd5sOfFolder(out, 1); // rtsp play numbers frames from 1
      // The shared media may already be running: the first frame can be any of the movie's, the rest must follow it.
      const first = sourceMd5s.indexOf(received[0]);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(received).toEqual(Array.from({ length: FRAMES }, (_, i) => sourceMd5s[(first + i) % movie.frameCount]));

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
