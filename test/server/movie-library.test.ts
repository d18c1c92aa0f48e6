// A movie's packets built ahead of play: prepare() builds every frame once, without holding up the event loop, and
// never fails; a single served file is prepared before the server takes clients.
import { afterEach, describe, expect, spyOn, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { MovieLibrary, RtpFrames, WholeJpegFrames } from "../../lib/server/movie-library.ts";

const FRAMES = 12;
const sample = makeSampleMovie({ frames: FRAMES, width: 64, height: 48 });
const movie = Movie.fromBytes(sample, "movie.Mjpeg");

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** Counts the frames RtpFrames / WholeJpegFrames build from now on. */
function countBuilds(frames: typeof RtpFrames | typeof WholeJpegFrames): () => number {
  const spy = spyOn(frames.prototype as unknown as { build(index: number): unknown }, "build");
  restore = () => spy.mockRestore();
  return () => spy.mock.calls.length;
}

describe.each([
  ["RtpFrames", () => new RtpFrames(movie, 1400), RtpFrames],
  ["WholeJpegFrames", () => new WholeJpegFrames(movie), WholeJpegFrames],
] as const)("%s.prepare", (_name, make, kind) => {
  test("builds every frame once; a frame built before is not built again, nor any after", async () => {
    const builds = countBuilds(kind);
    const frames = make();
    const first = frames.packets(3);
    await frames.prepare();
    expect(builds()).toBe(FRAMES);
    expect(frames.packets(3)).toBe(first);
    for (let i = 0; i < FRAMES; i++) frames.packets(i);
    await frames.prepare();
    expect(builds()).toBe(FRAMES);
  });

  test("gives the event loop a turn between frames", async () => {
    const frames = make();
    let turned = false;
    const sawATurn = frames.prepare().then(() => turned);
    setImmediate(() => (turned = true));
    expect(await sawATurn).toBe(true);
  });
});

test("a frame that cannot be built does not fail prepare, and still fails where a session reaches it", async () => {
  const broken = Movie.fromFrames([movie.frame(0), new Uint8Array([0xff, 0xd8, 1, 2, 3]), movie.frame(2)], "broken", "mjpeg");
  const frames = new RtpFrames(broken, 1400);
  await frames.prepare();
  expect(frames.packets(2).length).toBeGreaterThan(0);
  expect(() => frames.packets(1)).toThrow();
});

describe("MovieLibrary.prepareServedFile", () => {
  let folder: string | undefined;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  test("a single served file has all its RTP packets built, the ones its clients then get", async () => {
    folder = mkdtempSync(join(tmpdir(), "rtsp-library-"));
    const path = join(folder, "film.mjpeg");
    writeFileSync(path, sample);
    const library = new MovieLibrary({ kind: "file", path, name: "film.mjpeg" }, 1400);
    const builds = countBuilds(RtpFrames);
    await library.prepareServedFile();
    expect(builds()).toBe(FRAMES);
    const served = await library.find("rtsp://127.0.0.1/film.mjpeg");
    if (served instanceof Error) throw served;
    const frames = await served.rtpFrames();
    for (let i = 0; i < FRAMES; i++) frames.packets(i);
    expect(builds()).toBe(FRAMES);
  });

  test("a file that does not open is left for the requests to answer; a folder is not prepared", async () => {
    folder = mkdtempSync(join(tmpdir(), "rtsp-library-"));
    const path = join(folder, "not-a-movie.mjpeg");
    writeFileSync(path, "hello");
    await new MovieLibrary({ kind: "file", path, name: "not-a-movie.mjpeg" }, 1400).prepareServedFile();
    const builds = countBuilds(RtpFrames);
    writeFileSync(join(folder, "film.mjpeg"), sample);
    await new MovieLibrary({ kind: "folder", path: folder }, 1400).prepareServedFile();
    expect(builds()).toBe(0);
  });
});
