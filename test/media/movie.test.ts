import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { indexConcatenatedJpeg } from "../../lib/media/concatenated-jpeg.ts";
import { encodeJpeg, encodeJpeg420 } from "../../lib/media/jpeg-encoder.ts";
import { inspectJpeg } from "../../lib/media/jpeg-info.ts";
import { encodeLabMovie, indexLabMovie } from "../../lib/media/lab-format.ts";
import { Movie, MovieError } from "../../lib/media/movie.ts";
import { buildClassicMovie, CLASSIC_MOVIE_BYTES } from "../fixtures/classic-movie.ts";
import { mutate, seededRandom } from "../rtp/seeded-random.ts";
import { cleanUpAfterEachTest } from "../support/clean-up-after-each-test.ts";
import { readFixture, testPattern } from "./images.ts";

const cleanUp = cleanUpAfterEachTest();
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
};
const ascii = (text: string) => new TextEncoder().encode(text);
const segment = (marker: number, payload: Uint8Array) =>
  concat(Uint8Array.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255]), payload);
/** `frame` with extra segments right after its SOI. */
const withSegments = (frame: Uint8Array, ...segments: Uint8Array[]) => concat(frame.subarray(0, 2), ...segments, frame.subarray(2));

const frameA = encodeJpeg420(testPattern(48, 32), 48, 32, 80);
const frameB = encodeJpeg420(testPattern(64, 48), 64, 48, 60);
const frameC = readFixture("yuv420-restart.jpg");

describe("concatenated JPEG splitting walks markers", () => {
  test("frames are split exactly at each EOI", () => {
    const result = indexConcatenatedJpeg(concat(frameA, frameB, frameC));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Array.from(result.index.lengths)).toEqual([frameA.length, frameB.length, frameC.length]);
    expect(Array.from(result.index.offsets)).toEqual([0, frameA.length, frameA.length + frameB.length]);
  });

  test("FFD8/FFD9 inside an APP1 thumbnail and a COM segment do not split a frame", () => {
    const thumbnail = encodeJpeg420(testPattern(16, 16), 16, 16, 50);
    const tricky = withSegments(
      frameA,
      segment(0xe1, concat(ascii("Exif\0\0"), thumbnail)),
      segment(0xfe, Uint8Array.from([0xff, 0xd9, 0xff, 0xd8, 0xff, 0xd9])),
    );
    const naiveEois = tricky.reduce((n, byte, i) => n + (byte === 0xff && tricky[i + 1] === 0xd9 ? 1 : 0), 0);
    expect(naiveEois).toBeGreaterThanOrEqual(3);
    const result = indexConcatenatedJpeg(concat(tricky, frameB, tricky));
    expect(result.ok && Array.from(result.index.lengths)).toEqual([tricky.length, frameB.length, tricky.length]);
  });

  test("restart markers and stuffed FF00 in entropy data do not end a frame", () => {
    const info = inspectJpeg(frameC);
    const scan = frameC.subarray(info.scanStart, info.scanEnd);
    const hasRestart = scan.some((b, i) => b === 0xff && scan[i + 1] >= 0xd0 && scan[i + 1] <= 0xd7);
    const hasStuffing = scan.some((b, i) => b === 0xff && scan[i + 1] === 0);
    expect(hasRestart && hasStuffing).toBe(true);
    const result = indexConcatenatedJpeg(concat(frameC, frameC));
    expect(result.ok && Array.from(result.index.lengths)).toEqual([frameC.length, frameC.length]);
  });

  test.each([
    ["a frame without EOI at the end", () => concat(frameA, frameB.subarray(0, frameB.length - 2)), 2, "truncated"],
    ["garbage between frames", () => concat(frameA, ascii("junk"), frameB), 2, "missing SOI"],
    ["a frame cut inside its headers", () => concat(frameA, frameA, frameB.subarray(0, 30)), 3, "truncated"],
  ] as const)("%s: names the frame", (_, make, frame, problem) => {
    const result = indexConcatenatedJpeg(make());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.frame).toBe(frame);
    expect(result.error.problem).toContain(problem);
  });
});

describe("lab format", () => {
  test("bytes → index → frames → bytes", () => {
    const bytes = encodeLabMovie([frameA, frameB, frameC]);
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe(String(frameA.length).padStart(5, "0"));
    const result = indexLabMovie(bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const frames = Array.from(result.index.offsets, (offset, i) => bytes.subarray(offset, offset + result.index.lengths[i]));
    expect(frames).toEqual([frameA, frameB, frameC]);
    expect(encodeLabMovie(frames)).toEqual(bytes);
  });

  test("a frame over 99999 bytes cannot be written", () => {
    const big = new Uint8Array(100_000);
    expect(() => encodeLabMovie([frameA, big])).toThrow("frame 2 is 100000 bytes; the lab format holds at most 99999");
  });

  const good = encodeLabMovie([frameA, frameB]);
  test.each([
    ["bad length digits", () => concat(good, ascii("12a45"), frameA), 3, 'bad length digits "12a45"'],
    ["a length past the end of the file", () => good.subarray(0, good.length - 10), 2, "runs past the end of the file"],
    ["a truncated length header", () => concat(good, ascii("01")), 3, "truncated length header"],
    ["a frame without SOI", () => concat(good, ascii("00004"), ascii("abcd")), 3, "missing SOI"],
  ] as const)("%s: names the frame", (_, make, frame, problem) => {
    const result = indexLabMovie(make());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.frame).toBe(frame);
    expect(result.error.problem).toContain(problem);
  });
});

describe("Movie", () => {
  test("detects the lab format and the concatenated format from the bytes", () => {
    const lab = Movie.fromBytes(encodeLabMovie([frameA, frameB]), "a.Mjpeg");
    const mjpeg = Movie.fromBytes(concat(frameA, frameB), "a.mjpeg");
    expect([lab.format, lab.frameCount]).toEqual(["lab", 2]);
    expect([mjpeg.format, mjpeg.frameCount]).toEqual(["mjpeg", 2]);
    expect(lab.frame(1)).toEqual(frameB);
    expect(mjpeg.frame(1)).toEqual(frameB);
  });

  test("frame(i) is a view into the file's bytes, not a copy", () => {
    const bytes = concat(frameA, frameB);
    const frame = Movie.fromBytes(bytes, "a.mjpeg").frame(1);
    expect(frame.buffer).toBe(bytes.buffer);
    expect(frame.byteOffset).toBe(frameA.length);
  });

  test.each([
    ["bad.Mjpeg", () => concat(encodeLabMovie([frameA]), ascii("x0001")), "bad.Mjpeg: frame 2: bad length digits"],
    ["cut.Mjpeg", () => encodeLabMovie([frameA, frameB]).subarray(0, frameA.length + 200), "cut.Mjpeg: frame 2: length"],
    ["cut.mjpeg", () => concat(frameA, frameB.subarray(0, 300)), "cut.mjpeg: frame 2: truncated"],
    ["text.txt", () => ascii("hello world"), "text.txt: not a movie"],
    ["empty.Mjpeg", () => new Uint8Array(0), "empty.Mjpeg: empty file"],
  ] as const)("%s: MovieError names the file and frame", (name, make, message) => {
    expect(() => Movie.fromBytes(make(), name)).toThrow(MovieError);
    expect(() => Movie.fromBytes(make(), name)).toThrow(message);
  });

  test("info() names a corrupt frame found while inspecting", () => {
    const corrupt = withSegments(frameB, segment(0xdb, new Uint8Array(65).fill(5))); // a DQT defining table 5
    const movie = Movie.fromBytes(encodeLabMovie([frameA, corrupt]), "corrupt.Mjpeg");
    expect(() => movie.info()).toThrow("corrupt.Mjpeg: frame 2: DQT defines table 5 (valid: 0..3)");
  });

  test("frame(i) out of range is a MovieError", () => {
    const movie = Movie.fromBytes(concat(frameA), "one.mjpeg");
    expect(() => movie.frame(1)).toThrow("one.mjpeg: no frame 2 (the movie has 1)");
  });

  test("open() reads a file, and a folder of .jpg files sorted by name", async () => {
    const folder = cleanUp.scratchFolder("rtsp-media-");
    writeFileSync(join(folder, "b.jpg"), frameB);
    writeFileSync(join(folder, "a.jpg"), frameA);
    writeFileSync(join(folder, "notes.txt"), "not a frame");
    writeFileSync(join(folder, "movie.Mjpeg"), encodeLabMovie([frameC]));
    const fromFolder = await Movie.open(folder);
    expect(fromFolder.format).toBe("jpeg-folder");
    expect([fromFolder.frame(0), fromFolder.frame(1)]).toEqual([frameA, frameB]);
    const fromFile = await Movie.open(join(folder, "movie.Mjpeg"));
    expect(fromFile.frame(0)).toEqual(frameC);
    await expect(Movie.open(join(folder, "missing.Mjpeg"))).rejects.toThrow("missing.Mjpeg: no such file or folder");
  });
});

describe("the classic movie stand-in", () => {
  const classic = Movie.fromBytes(buildClassicMovie(), "movie.Mjpeg");

  test("info() gives the classic movie's facts", () => {
    expect(classic.info()).toEqual({
      name: "movie.Mjpeg",
      format: "lab",
      frameCount: 500,
      bytes: CLASSIC_MOVIE_BYTES,
      frameSizes: { min: 4970, median: 8131.5, max: 13967 },
      width: 384,
      height: 288,
      sampling: "4:4:4",
      rtpReady: false,
      rtpProblem: "frame 1: 4:4:4 chroma sampling; RTP/JPEG carries 4:2:0 or 4:2:2 only",
    });
  });

  test("forRtp() converts every frame once to baseline 4:2:0 with the standard tables", async () => {
    const converted = await classic.forRtp();
    expect(await classic.forRtp()).toBe(converted);
    expect(converted.frameCount).toBe(500);
    const info = converted.info();
    expect(info).toMatchObject({ rtpReady: true, sampling: "4:2:0", width: 384, height: 288 });
    for (const index of [0, 137, 499]) {
      const frame = inspectJpeg(converted.frame(index));
      expect(frame).toMatchObject({ rtpType: 1, standardHuffman: true, hasJfif: true, componentIds: [1, 2, 3] });
    }
  }, 60_000);
});

describe("forRtp()", () => {
  test("returns the movie itself when every frame can travel", async () => {
    const movie = Movie.fromBytes(concat(frameA, frameC), "ready.mjpeg");
    expect(await movie.forRtp()).toBe(movie);
  });

  test("keeps transportable frames byte for byte and converts the others", async () => {
    const progressive = readFixture("progressive.jpg");
    const movie = Movie.fromBytes(concat(frameA, progressive, readFixture("gray.jpg")), "mixed.mjpeg");
    expect(movie.info().rtpProblem).toStartWith("frame 2: progressive (SOF2)");
    const converted = await movie.forRtp();
    expect(converted.frame(0)).toEqual(frameA);
    for (const index of [1, 2]) {
      expect(inspectJpeg(converted.frame(index))).toMatchObject({ rtpType: 1, width: 96, height: 64 });
    }
  });

  test("refuses a frame wider than 2040 px, naming it", async () => {
    const wide = encodeJpeg(testPattern(2048, 16), 2048, 16, { sampling: "4:4:4", quality: 50 });
    const movie = Movie.fromBytes(concat(frameA, wide), "wide.mjpeg");
    await expect(movie.forRtp()).rejects.toThrow("wide.mjpeg: frame 2 is 2048x16; RTP/JPEG carries at most 2040x2040 px");
  });
});

describe("fuzz", () => {
  test("mutated movies of both formats open or throw MovieError, and every frame indexed is in bounds", () => {
    const random = seededRandom(20480);
    const sources = [encodeLabMovie([frameA, frameB, frameC]), concat(frameA, frameB, frameC)];
    let rejected = 0;
    for (let i = 0; i < 600; i++) {
      const bytes = mutate(random, sources[i % 2]);
      try {
        const movie = Movie.fromBytes(bytes, "fuzz");
        for (let f = 0; f < movie.frameCount; f++) {
          const frame = movie.frame(f);
          expect(frame.byteOffset + frame.length).toBeLessThanOrEqual(bytes.byteOffset + bytes.length);
          expect([frame[0], frame[1]]).toEqual([0xff, 0xd8]);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(MovieError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});
