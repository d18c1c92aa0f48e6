import { describe, expect, test } from "bun:test";
import { encodeJpeg420 } from "../../lib/media/jpeg-encoder.ts";
import { inspectJpeg, JpegError } from "../../lib/media/jpeg-info.ts";
import { scaledQuantTables } from "../../lib/media/jpeg-tables.ts";
import { Movie } from "../../lib/media/movie.ts";
import { bundledMoviePath } from "../../lib/media/sample.ts";
import { classicFrames } from "../fixtures/classic-movie.ts";
import { mutate, seededRandom } from "../rtp/seeded-random.ts";
import { readFixture, testPattern } from "./images.ts";

/** Offset of the first occurrence of marker FFxx (outside entropy data in these small hand-checked cases). */
function markerOffset(bytes: Uint8Array, marker: number): number {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === marker) return i;
  throw new Error(`no FF${marker.toString(16)}`);
}

describe("inspectJpeg on the classic movie's frames", () => {
  const frames = classicFrames();

  test("there are five genuine frames", () => {
    expect(frames).toHaveLength(5);
  });

  test.each(frames.map((frame, i) => [i, frame] as const))("frame %d: baseline 4:4:4, ids 0,1,2, not transportable", (_, frame) => {
    const info = inspectJpeg(frame);
    expect(info).toMatchObject({
      width: 384,
      height: 288,
      precision: 8,
      baseline: true,
      progressive: false,
      components: 3,
      componentIds: [0, 1, 2],
      sampling: "4:4:4",
      componentQuantIds: [0, 1, 1],
      restartInterval: 0,
      standardHuffman: true,
      hasJfif: false,
      hasEoi: true,
      scanEnd: frame.length - 2,
    });
    expect(info.rtpType).toBeUndefined();
    expect(info.notTransportable).toStartWith("4:4:4 chroma sampling");
    expect(frame[info.scanStart - 14]).toBe(0xff); // 3-component SOS header: FFDA, length 12
    expect(frame[info.scanStart - 13]).toBe(0xda);
  });

  test("its quantization tables are Annex K's as printed (quality 50)", () => {
    const info = inspectJpeg(frames[0]);
    const annexK = scaledQuantTables(50);
    expect(info.quantTables[0]).toEqual(annexK.luminance);
    expect(info.quantTables[1]).toEqual(annexK.chrominance);
  });
});

describe("inspectJpeg on transportable frames", () => {
  test("frames of the bundled sample movie are 4:2:0, type 1", async () => {
    const movie = await Movie.open(bundledMoviePath);
    for (const index of [0, 249, 499]) {
      const info = inspectJpeg(movie.frame(index));
      expect(info).toMatchObject({ width: 384, height: 288, sampling: "4:2:0", componentIds: [1, 2, 3], hasJfif: true });
      expect(info.standardHuffman).toBe(true);
      expect(info.rtpType).toBe(1);
      expect(info.notTransportable).toBeUndefined();
    }
  });

  test("4:2:2 with Y 2x1 and chroma 1x1 is type 0", () => {
    const info = inspectJpeg(readFixture("yuv422.jpg"));
    expect(info.sampling).toBe("4:2:2");
    expect(info.samplingFactors).toEqual([{ h: 2, v: 1 }, { h: 1, v: 1 }, { h: 1, v: 1 }]);
    expect(info.rtpType).toBe(0);
  });

  test("a restart interval adds 64 to the type", () => {
    const info = inspectJpeg(readFixture("yuv420-restart.jpg"));
    expect(info.restartInterval).toBeGreaterThan(0);
    expect(info.rtpType).toBe(65);
  });
});

describe("inspectJpeg says why a frame cannot travel", () => {
  test.each([
    ["progressive.jpg", "progressive (SOF2)", { progressive: true, baseline: false }],
    ["gray.jpg", "grayscale (1 component)", { sampling: "gray", components: 1 }],
    ["yuv420-optimized-huffman.jpg", "optimized (non-standard) Huffman tables", { standardHuffman: false, sampling: "4:2:0" }],
    ["yuv422-scaled-factors.jpg", "sampling factors Y 2x2, Cb 1x2, Cr 1x2", { sampling: "4:2:2" }],
  ] as const)("%s", (name, reason, facts) => {
    const info = inspectJpeg(readFixture(name));
    expect(info).toMatchObject(facts);
    expect(info.rtpType).toBeUndefined();
    expect(info.notTransportable).toStartWith(reason);
  });

  test("12-bit samples (SOF1 with precision 12)", () => {
    const bytes = readFixture("yuv422.jpg").slice();
    const sof = markerOffset(bytes, 0xc0);
    bytes[sof + 1] = 0xc1;
    bytes[sof + 4] = 12;
    const info = inspectJpeg(bytes);
    expect(info).toMatchObject({ precision: 12, baseline: false, progressive: false });
    expect(info.notTransportable).toStartWith("12-bit samples");
  });

  test("wider than 2040 px", () => {
    const info = inspectJpeg(encodeJpeg420(testPattern(2048, 16), 2048, 16, 50));
    expect(info.notTransportable).toBe("2048x16 exceeds the RTP/JPEG limit of 2040 px");
    expect(inspectJpeg(encodeJpeg420(testPattern(2040, 16), 2040, 16, 50)).rtpType).toBe(1);
  });

  test("a Huffman table that differs from Annex K.3 in one symbol", () => {
    const bytes = encodeJpeg420(testPattern(32, 16), 32, 16, 75);
    const dht = markerOffset(bytes, 0xc4);
    bytes[dht + 4 + 17 + 3] ^= 1; // a symbol of the DC luminance table
    expect(inspectJpeg(bytes).standardHuffman).toBe(false);
  });
});

describe("inspectJpeg on broken input", () => {
  const good = readFixture("yuv422.jpg");
  const sos = markerOffset(good, 0xda);

  test.each([
    ["empty", new Uint8Array(0), "no SOI"],
    ["not a JPEG", new TextEncoder().encode("GIF89a..."), "no SOI"],
    ["cut inside the header segments", good.subarray(0, 100), "truncated"],
    ["cut in a segment length", good.subarray(0, sos + 3), "truncated in the length of segment FFDA"],
    ["cut inside SOS", good.subarray(0, sos + 6), "truncated inside segment FFDA"],
    ["garbage where a marker belongs", Uint8Array.from([0xff, 0xd8, 0x12, 0x34]), "expected a marker at byte 2"],
    ["a segment length below 2", Uint8Array.from([0xff, 0xd8, 0xff, 0xfe, 0x00, 0x01]), "invalid length 1"],
    ["no frame header", Uint8Array.from([0xff, 0xd8, 0xff, 0xfe, 0x00, 0x02, 0xff, 0xd9]), "no SOF"],
  ] as const)("%s", (_, bytes, problem) => {
    expect(() => inspectJpeg(bytes)).toThrow(JpegError);
    expect(() => inspectJpeg(bytes)).toThrow(problem);
  });

  test("entropy data cut short: inspected, with hasEoi false and scanEnd at the end", () => {
    const cut = good.subarray(0, good.length - 100);
    const info = inspectJpeg(cut);
    expect(info.hasEoi).toBe(false);
    expect(info.scanEnd).toBe(cut.length);
  });

  test("fuzz: mutated frames inspect or throw JpegError, nothing else", () => {
    const random = seededRandom(2435);
    const sources = [good, readFixture("progressive.jpg"), readFixture("gray.jpg"), classicFrames()[0]];
    let thrown = 0;
    for (let i = 0; i < 1500; i++) {
      const bytes = mutate(random, sources[i % sources.length]);
      try {
        const info = inspectJpeg(bytes);
        expect(info.scanStart).toBeLessThanOrEqual(info.scanEnd);
        expect(info.scanEnd).toBeLessThanOrEqual(bytes.length);
      } catch (error) {
        expect(error).toBeInstanceOf(JpegError);
        thrown++;
      }
    }
    expect(thrown).toBeGreaterThan(0);
  });
});
