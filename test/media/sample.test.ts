import { describe, expect, test } from "bun:test";
import jpeg from "jpeg-js";
import { inspectJpeg } from "../../lib/media/jpeg-info.ts";
import { Movie } from "../../lib/media/movie.ts";
import { bundledMoviePath, drawSampleFrame, makeSampleMovie } from "../../lib/media/sample.ts";

const decode = (bytes: Uint8Array) => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
const brightness = (rgba: Uint8Array, width: number, x: number, y: number) => {
  const at = (y * width + x) * 4;
  return (rgba[at] + rgba[at + 1] + rgba[at + 2]) / 3;
};

/**
 * Reads the number drawn on a sample frame back from its pixels: the digits sit on a dark plate in the middle, one
 * bitmap cell per `scale` pixels, 6 cells a digit. Finds the plate's extent, then matches each digit's 5x7 cells.
 */
function readNumber(rgba: Uint8Array, width: number, height: number, digitCount: number): string {
  const scale = Math.min(Math.floor(height / 3 / 7), Math.floor((width * 0.8) / (digitCount * 6)));
  const left = Math.floor((width - (digitCount * 6 - 1) * scale) / 2);
  const top = Math.floor((height - 7 * scale) / 2);
  const glyphs = [
    "01110100011001110101110011000101110",
    "00100011000010000100001000010001110",
    "01110100010000100010001000100011111",
    "11111000100010000010000011000101110",
    "00010001100101010010111110001000010",
    "11111100001111000001000011000101110",
    "00110010001000011110100011000101110",
    "11111000010001000100010000100001000",
    "01110100011000101110100011000101110",
    "01110100011000101111000010001001100",
  ];
  let text = "";
  for (let d = 0; d < digitCount; d++) {
    let cells = "";
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        const x = left + (d * 6 + col) * scale + (scale >> 1);
        const y = top + row * scale + (scale >> 1);
        cells += brightness(rgba, width, x, y) > 128 ? "1" : "0";
      }
    }
    const digit = glyphs.indexOf(cells);
    text += digit < 0 ? "?" : String(digit);
  }
  return text;
}

describe("makeSampleMovie", () => {
  const bytes = makeSampleMovie({ frames: 12, width: 160, height: 120 });
  const movie = Movie.fromBytes(bytes, "sample.Mjpeg");

  test("writes a lab-format movie of RTP-ready 4:2:0 frames", () => {
    expect(movie.format).toBe("lab");
    expect(movie.info()).toMatchObject({ frameCount: 12, width: 160, height: 120, sampling: "4:2:0", rtpReady: true });
  });

  test("each frame shows its own number, legibly", () => {
    for (const n of [1, 5, 6, 7, 9, 10, 12]) {
      const picture = decode(movie.frame(n - 1));
      expect(readNumber(picture.data, 160, 120, String(n).length)).toBe(String(n));
    }
  });

  test("the picture moves from frame to frame", () => {
    const first = decode(movie.frame(0)).data;
    const second = decode(movie.frame(1)).data;
    let changed = 0;
    for (let i = 0; i < first.length; i += 4) if (Math.abs(first[i] - second[i]) > 8) changed++;
    expect(changed).toBeGreaterThan(160 * 120 * 0.01);
  });

  test("is deterministic", () => {
    expect(makeSampleMovie({ frames: 12, width: 160, height: 120 })).toEqual(bytes);
  });

  test("drawSampleFrame draws three-digit numbers that fit the picture", () => {
    const rgba = new Uint8Array(384 * 288 * 4);
    drawSampleFrame(rgba, 384, 288, 438);
    expect(readNumber(rgba, 384, 288, 3)).toBe("438");
  });
});

describe("the bundled sample movie", () => {
  test("is 500 RTP-ready 384x288 frames in at most 5 MB", async () => {
    const movie = await Movie.open(bundledMoviePath);
    const info = movie.info();
    expect(info).toMatchObject({ format: "lab", frameCount: 500, width: 384, height: 288, sampling: "4:2:0", rtpReady: true });
    expect(info.bytes).toBeLessThanOrEqual(5_000_000);
    expect(inspectJpeg(movie.frame(499)).rtpType).toBe(1);
    const last = decode(movie.frame(499));
    expect(readNumber(last.data, 384, 288, 3)).toBe("500");
  });

  test("is exactly what media/README.md's command makes", async () => {
    const bundled = await Bun.file(bundledMoviePath).bytes();
    expect(makeSampleMovie({ frames: 500, width: 384, height: 288, quality: 75 })).toEqual(bundled);
  }, 30_000);
});
