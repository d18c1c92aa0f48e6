// A movie of the classic lab's profile (4:4:4, component ids 0,1,2, no JFIF) cannot travel as RFC 2435 unchanged: the
// server converts it once to baseline 4:2:0. ffmpeg and GStreamer must receive exactly the converted frames (Movie.forRtp),
// over UDP and TCP, and those must stay close to the originals.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Movie } from "../../lib/media/movie.ts";
import { buildClassicMovie, CLASSIC_FRAME_COUNT } from "../fixtures/classic-movie.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import {
  decodedMd5sOfFolder,
  decodedMd5sOfMjpeg,
  ffmpegPullMd5s,
  gstreamerPull,
  run,
  startRtspServe,
  writeConcatenated,
  type RunningPeer,
} from "./peers.ts";

const FPS = 100;
const STOP_AFTER_MS = (CLASSIC_FRAME_COUNT / FPS) * 1000 + 25_000;
/**
 * Worst frame's PSNR (RGB) between what a player receives and the original 4:4:4 frame. Halving the chroma resolution
 * and re-quantizing measures 41.8 dB on the worst frame of this movie; 38 dB keeps a margin for other decoders'
 * rounding while a wrong conversion (swapped or shifted chroma, wrong quantization tables) lands far below 30 dB.
 */
const MIN_PSNR_DB = 38;

let scratch: string;
let originalPath: string;
let convertedMd5s: string[];
let server: RunningPeer;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "rtsp-interop-classic-"));
  const bytes = buildClassicMovie();
  const moviePath = join(scratch, "movie.Mjpeg");
  await Bun.write(moviePath, bytes);
  const original = Movie.fromBytes(bytes, "movie.Mjpeg");
  expect(original.info()).toMatchObject({ sampling: "4:4:4", rtpReady: false });
  originalPath = await writeConcatenated(original, join(scratch, "original.mjpeg"));
  convertedMd5s = await decodedMd5sOfMjpeg(await writeConcatenated(await original.forRtp(), join(scratch, "converted.mjpeg")));
  server = await startRtspServe(moviePath, FPS);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** ffmpeg's PSNR summary line, RGB: the worst frame's figure ("min:"), in dB. */
async function worstFramePsnr(receivedDir: string): Promise<number> {
  const { stderr } = await run(
    [
      "ffmpeg",
      "-v", "info",
      "-f", "image2", "-start_number", "0", "-i", join(receivedDir, "%05d.jpg"),
      "-f", "mjpeg", "-i", originalPath,
      "-lavfi", "[0:v]format=rgb24[received];[1:v]format=rgb24[original];[received][original]psnr",
      "-f", "null", "-",
    ],
    60_000,
  );
  const summary = /PSNR r:\S+ g:\S+ b:\S+ average:\S+ min:(\S+)/.exec(stderr);
  if (!summary) throw new Error(`no PSNR summary from ffmpeg: ${stderr}`);
  return Number(summary[1]);
}

describe("a classic-profile movie, converted once by the server", () => {
  for (const transport of ["udp", "tcp"] as const) {
    test(`ffmpeg over ${transport} decodes exactly the converted frames`, async () => {
      expect(await ffmpegPullMd5s(server.url, transport, 60_000)).toEqual(convertedMd5s);
    }, 120_000);

    test(`GStreamer over ${transport} receives every converted frame, close to the original`, async () => {
      const dir = join(scratch, `gst-${transport}`);
      const pull = await gstreamerPull(server.url, transport, dir, STOP_AFTER_MS);
      expect(pull.code).not.toBeNull();
      expect(pull.stderr).not.toContain("455");
      expect(pull.files).toEqual(frameFileNames(CLASSIC_FRAME_COUNT));
      expect(await decodedMd5sOfFolder(dir)).toEqual(convertedMd5s);
      expect(await worstFramePsnr(dir)).toBeGreaterThan(MIN_PSNR_DB);
    }, 120_000);
  }
});
