// ffmpeg and ffprobe against `rtsp serve`: the stream they see is MJPEG of the movie's size and the served rate, over
// UDP and TCP, and ffmpeg decodes every frame of the bundled movie exactly as it decodes the source JPEGs.
import { describe, expect, test } from "bun:test";
import { BUNDLED_MOVIE, bundledMovieSuite, ffmpegPullMd5s, runOk, startRtspServe } from "./peers.ts";

// Five times the lab's 20 fps: the 500 frames stream in 5 s, and the rate is still what ffprobe must report.
const FPS = 100;

const suite = bundledMovieSuite("rtsp-interop-ffmpeg-", () => startRtspServe(BUNDLED_MOVIE, FPS));

describe("ffmpeg against rtsp serve", () => {
  for (const transport of ["udp", "tcp"] as const) {
    test(`ffprobe over ${transport} sees MJPEG at the movie's size and the served rate`, async () => {
      const output = await runOk(["ffprobe", "-v", "error", "-rtsp_transport", transport, "-show_streams", "-of", "json", suite.server.url], 30_000);
      const [stream] = JSON.parse(output).streams;
      const { width, height } = suite.movie.info();
      expect(stream).toMatchObject({ codec_type: "video", codec_name: "mjpeg", width, height, r_frame_rate: `${FPS}/1` });
    }, 60_000);

    test(`ffmpeg over ${transport} decodes every frame of the movie exactly like the source frames`, async () => {
      const received = await ffmpegPullMd5s(suite.server.url, transport, 60_000);
      expect(suite.sourceMd5s).toHaveLength(suite.movie.frameCount);
      expect(received).toEqual(suite.sourceMd5s);
    }, 120_000);
  }
});
