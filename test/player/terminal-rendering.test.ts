import { describe, expect, test } from "bun:test";
import { downscaleRgba } from "../../lib/player/terminal/area-downscale.ts";
import { fitImage } from "../../lib/player/terminal/fit-image.ts";
import { renderHalfBlockRows, UPPER_HALF_BLOCK } from "../../lib/player/terminal/half-block.ts";

type Rgb = readonly [number, number, number];

/** An RGBA image from rows of RGB pixels. */
function rgbaImage(rows: readonly (readonly Rgb[])[]): { data: Uint8Array; width: number; height: number } {
  const height = rows.length;
  const width = rows[0].length;
  const data = new Uint8Array(width * height * 4);
  rows.forEach((row, y) =>
    row.forEach(([r, g, b], x) => {
      data.set([r, g, b, 255], (y * width + x) * 4);
    }),
  );
  return { data, width, height };
}

/** The cells of a rendered row as [foreground, background] colours, following the SGR state like a terminal. */
function cells(line: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  let foreground = "";
  let background = "";
  const tokens = line.match(/\x1b\[[0-9;]*m|./gu) ?? [];
  for (const token of tokens) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(token);
    if (!sgr) {
      expect(token).toBe(UPPER_HALF_BLOCK);
      result.push([foreground, background]);
    } else if (sgr[1].startsWith("38;2;")) foreground = sgr[1].slice(5);
    else if (sgr[1].startsWith("48;2;")) background = sgr[1].slice(5);
    else expect(sgr[1]).toBe("0");
  }
  return result;
}

const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];
const GREEN: Rgb = [0, 200, 0];
const WHITE: Rgb = [255, 255, 255];

describe("renderHalfBlockRows", () => {
  test("upper pixel is the foreground, lower pixel the background", () => {
    const image = rgbaImage([
      [RED, GREEN],
      [BLUE, WHITE],
      [WHITE, RED],
      [GREEN, BLUE],
    ]);
    const rgb = downscaleRgba(image.data, 2, 4, 2, 4);
    const lines = renderHalfBlockRows(rgb);
    expect(lines).toHaveLength(2);
    expect(cells(lines[0])).toEqual([
      ["255;0;0", "0;0;255"],
      ["0;200;0", "255;255;255"],
    ]);
    expect(cells(lines[1])).toEqual([
      ["255;255;255", "0;200;0"],
      ["255;0;0", "0;0;255"],
    ]);
    expect(lines.every((line) => line.endsWith("\x1b[0m"))).toBe(true);
  });

  test("a colour code is written only where the colour changes", () => {
    const image = rgbaImage([
      [RED, RED, RED, BLUE],
      [BLUE, BLUE, BLUE, BLUE],
    ]);
    const [line] = renderHalfBlockRows(downscaleRgba(image.data, 4, 2, 4, 2));
    expect(line).toBe(
      `\x1b[38;2;255;0;0m\x1b[48;2;0;0;255m${UPPER_HALF_BLOCK.repeat(3)}\x1b[38;2;0;0;255m${UPPER_HALF_BLOCK}\x1b[0m`,
    );
  });
});

describe("downscaleRgba", () => {
  test("averages the area each target pixel covers", () => {
    const image = rgbaImage([
      [[0, 0, 0], [200, 100, 40], [10, 10, 10], [30, 30, 30]],
      [[100, 0, 0], [100, 100, 40], [50, 50, 50], [70, 70, 70]],
    ]);
    const half = downscaleRgba(image.data, 4, 2, 2, 1);
    expect([...half.data]).toEqual([100, 50, 20, 40, 40, 40]);
  });

  test("fractional coverage weighs partly covered pixels", () => {
    // 3 pixels into 2: the middle one is split between both targets.
    const image = rgbaImage([[[0, 0, 0], [90, 90, 90], [180, 180, 180]]]);
    const scaled = downscaleRgba(image.data, 3, 1, 2, 1);
    expect([...scaled.data]).toEqual([30, 30, 30, 150, 150, 150]);
  });

  test("a uniform image stays uniform at any size", () => {
    const row: Rgb[] = Array.from({ length: 384 }, () => [12, 34, 56] as const);
    const image = rgbaImage(Array.from({ length: 288 }, () => row));
    const scaled = downscaleRgba(image.data, 384, 288, 79, 46);
    expect(scaled.data.length).toBe(79 * 46 * 3);
    expect(new Set(scaled.data)).toEqual(new Set([12, 34, 56]));
  });
});

describe("fitImage", () => {
  test("384x288 in an 80x24 terminal keeps 4:3 with square half-block pixels", () => {
    const fitted = fitImage(384, 288, 80, 23);
    expect(fitted).toEqual({ pixelWidth: 61, pixelHeight: 46, columns: 61, rows: 23 });
    expect(fitted.pixelWidth / fitted.pixelHeight).toBeCloseTo(4 / 3, 1);
  });

  test("a wide, short terminal is limited by its height, a narrow one by its width", () => {
    expect(fitImage(384, 288, 200, 10)).toEqual({ pixelWidth: 27, pixelHeight: 20, columns: 27, rows: 10 });
    expect(fitImage(384, 288, 40, 100)).toEqual({ pixelWidth: 40, pixelHeight: 30, columns: 40, rows: 15 });
  });

  test("never enlarges, and never goes below one cell", () => {
    expect(fitImage(16, 8, 300, 100)).toEqual({ pixelWidth: 16, pixelHeight: 8, columns: 16, rows: 4 });
    expect(fitImage(384, 288, 1, 1)).toEqual({ pixelWidth: 1, pixelHeight: 2, columns: 1, rows: 1 });
  });
});
