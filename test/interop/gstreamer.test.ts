// GStreamer's rtspsrc against `rtsp serve`: the whole bundled movie over UDP and TCP, every frame present and decoding
// to the source frame's pixels (RFC 2435 carries the scan bytes unchanged), the pull ending on our end-of-movie BYE.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Movie } from "../../lib/media/movie.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import {
  BUNDLED_MOVIE,
  bundledMovieReference,
  decodedMd5sOfFolder,
  gstreamerPull,
  startRtspServe,
  type RunningPeer,
} from "./peers.ts";

const FPS = 100;
/** The movie's own duration plus set-up time and a generous margin for a loaded CI machine. */
const STOP_AFTER_MS = (500 / FPS) * 1000 + 25_000;

let server: RunningPeer;
let movie: Movie;
let scratch: string;
let sourceMd5s: string[];

beforeAll(async () => {
  ({ movie, scratch, sourceMd5s } = await bundledMovieReference("rtsp-interop-gst-"));
  server = await startRtspServe(BUNDLED_MOVIE, FPS);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe("GStreamer rtspsrc against rtsp serve", () => {
  for (const protocol of ["udp", "tcp"] as const) {
    test(`over ${protocol}: every frame arrives and decodes to the source frame, and the pull ends on the BYE`, async () => {
      const dir = join(scratch, protocol);
      const pull = await gstreamerPull(server.url, protocol, dir, STOP_AFTER_MS);
      expect(pull.code).not.toBeNull();
      // rtspsrc sends PAUSE on its way out, after the BYE: the session is READY by then and must not answer 455.
      expect(pull.stderr).not.toContain("455");
      expect(pull.files).toEqual(frameFileNames(movie.frameCount));
      expect(await decodedMd5sOfFolder(dir)).toEqual(sourceMd5s);
    }, 120_000);
  }
});
