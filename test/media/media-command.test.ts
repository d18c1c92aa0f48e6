import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeJpeg420 } from "../../lib/media/jpeg-encoder.ts";
import { Movie } from "../../lib/media/movie.ts";
import { buildClassicMovie } from "../fixtures/classic-movie.ts";
import { readFixture, testPattern } from "./images.ts";

const RTSP = join(import.meta.dir, "../../cmd/rtsp.ts");

function rtspMedia(...args: string[]) {
  const run = Bun.spawnSync(["bun", RTSP, "media", ...args], { env: { ...process.env, NO_COLOR: "1" } });
  return { code: run.exitCode, out: run.stdout.toString(), err: run.stderr.toString() };
}

/** An expected failure: exit code 1 and a single message line on stderr, no stack trace. */
function expectOneLineError(result: ReturnType<typeof rtspMedia>, message: string) {
  expect(result.code).toBe(1);
  const lines = result.err.split("\n").filter((line) => line.trim() !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(message);
  expect(result.err).not.toContain("    at ");
}

const folder = mkdtempSync(join(tmpdir(), "rtsp-media-command-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("rtsp media info", () => {
  test("prints the classic movie's facts", () => {
    const path = join(folder, "classic.Mjpeg");
    writeFileSync(path, buildClassicMovie());
    const { code, out } = rtspMedia("info", path);
    expect(code).toBe(0);
    expect(out).toContain("lab (5-digit length, then the JPEG, per frame)");
    expect(out).toMatch(/frames\s+500\n/);
    expect(out).toMatch(/bytes\s+4,269,893\n/);
    expect(out).toContain("min 4,970, median 8,131.5, max 13,967 bytes");
    expect(out).toContain("384x288, 4:4:4");
    expect(out).toContain("not ready (frame 1: 4:4:4 chroma sampling");
  });

  test("a truncated movie: one line naming the file and the frame, exit code 1", () => {
    const path = join(folder, "cut.Mjpeg");
    writeFileSync(path, buildClassicMovie().subarray(0, 20_000));
    expectOneLineError(rtspMedia("info", path), `${path}: frame 4: length 5860 runs past the end of the file`);
  });

  test("a missing file", () => {
    expectOneLineError(rtspMedia("info", join(folder, "nothing.Mjpeg")), "nothing.Mjpeg: no such file or folder");
  });
});

describe("rtsp media make", () => {
  test("writes an RTP-ready lab movie of the asked size", async () => {
    const path = join(folder, "made.Mjpeg");
    const { code, out } = rtspMedia("make", path, "--frames", "5", "--size", "64x48");
    expect(code).toBe(0);
    expect(out).toContain("ready: every frame travels as RFC 2435 RTP/JPEG unchanged");
    expect((await Movie.open(path)).info()).toMatchObject({ frameCount: 5, width: 64, height: 48, rtpReady: true });
  });

  test.each([
    [["--size", "64"], '--size must be WIDTHxHEIGHT, e.g. 384x288, got "64"'],
    [["--size", "4096x64"], "--size (width) must be between 16 and 2040, got 4096"],
    [["--frames", "many"], '--frames must be a whole number, got "many"'],
  ])("%p is refused", (flags, message) => {
    expectOneLineError(rtspMedia("make", join(folder, "bad.Mjpeg"), ...flags), message);
  });
});

describe("rtsp media import", () => {
  test("a folder of .jpg files, sorted by name, becomes a lab movie", async () => {
    const input = join(folder, "frames");
    mkdirSync(input);
    const first = encodeJpeg420(testPattern(32, 32), 32, 32, 70);
    const second = readFixture("yuv422.jpg");
    writeFileSync(join(input, "0002.jpg"), second);
    writeFileSync(join(input, "0001.jpg"), first);
    const out = join(folder, "imported.Mjpeg");
    expect(rtspMedia("import", input, out).code).toBe(0);
    const movie = await Movie.open(out);
    expect(movie.format).toBe("lab");
    expect([movie.frame(0), movie.frame(1)]).toEqual([first, second]);
  });

  test("a concatenated .mjpeg becomes a lab movie", async () => {
    const frames = [readFixture("yuv420-restart.jpg"), readFixture("progressive.jpg")];
    const input = join(folder, "two.mjpeg");
    writeFileSync(input, Buffer.concat(frames));
    const out = join(folder, "two.Mjpeg");
    expect(rtspMedia("import", input, out).code).toBe(0);
    const movie = await Movie.open(out);
    expect([movie.format, movie.frameCount]).toEqual(["lab", 2]);
    expect(movie.frame(1)).toEqual(frames[1]);
  });

  test("a frame over 99,999 bytes cannot be written in the lab format", () => {
    const noise = new Uint8Array(400 * 300 * 4).map((_, i) => (i * 2654435761) >>> 24);
    const big = encodeJpeg420(noise, 400, 300, 100);
    expect(big.length).toBeGreaterThan(99_999);
    const input = join(folder, "big.mjpeg");
    writeFileSync(input, Buffer.concat([readFixture("yuv422.jpg"), big]));
    expectOneLineError(rtspMedia("import", input, join(folder, "big.Mjpeg")), `${input}: frame 2 is ${big.length.toLocaleString("en-US")} bytes; the lab format holds at most 99,999 per frame`);
  });
});
