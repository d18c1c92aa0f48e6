// GStreamer's rtspsrc against `rtsp serve`: the whole bundled movie over UDP and TCP, every frame present and decoding
// to the source frame's pixels (RFC 2435 carries the scan bytes unchanged), the pull ending on our end-of-movie BYE.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { frameFileNames } from "../support/frame-file-names.ts";
import {
  BUNDLED_MOVIE,
  bundledMovieSuite,
  decodedMd5sOfFolder,
  gstreamerPull,
  startRtspServe,
} from "./peers.ts";

const FPS = 100;
/** The movie's own duration plus set-up time and a generous margin for a loaded CI machine. */
const STOP_AFTER_MS = (500 / FPS) * 1000 + 25_000;

const suite = bundledMovieSuite("rtsp-interop-gst-", () => startRtspServe(BUNDLED_MOVIE, FPS));

describe("GStreamer rtspsrc against rtsp serve", () => {
  for (const protocol of ["udp", "tcp"] as const) {
    test(`over ${protocol}: every frame arrives and decodes to the source frame, and the pull ends on the BYE`, async () => {
      const dir = join(suite.scratch, protocol);
      const pull = await gstreamerPull(suite.server.url, protocol, dir, STOP_AFTER_MS);
      expect(pull.code).not.toBeNull();
      // rtspsrc sends PAUSE on its way out, after the BYE: the session is READY by then and must not answer 455.
      expect(pull.stderr).not.toContain("455");
      expect(pull.files).toEqual(frameFileNames(suite.movie.frameCount));
      expect(await decodedMd5sOfFolder(dir)).toEqual(suite.sourceMd5s);
    }, 120_000);
  }
});
