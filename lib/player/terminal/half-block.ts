// Truecolor half-block drawing: each cell is "▀" with the foreground set to the upper pixel and the background to
// the lower one, so a cell row shows two pixel rows.
import type { RgbImage } from "./area-downscale.ts";

export const UPPER_HALF_BLOCK = "▀";
const RESET = "\x1b[0m";

/** One string per cell row (image height / 2 rows), colour codes only where they change, each ending in a reset. */
export function renderHalfBlockRows(image: RgbImage): string[] {
  const { width, height, data } = image;
  const lines: string[] = [];
  for (let y = 0; y + 1 < height; y += 2) {
    let line = "";
    let foreground = -1;
    let background = -1;
    for (let x = 0; x < width; x++) {
      const upper = (y * width + x) * 3;
      const lower = upper + width * 3;
      const upperColor = (data[upper] << 16) | (data[upper + 1] << 8) | data[upper + 2];
      const lowerColor = (data[lower] << 16) | (data[lower + 1] << 8) | data[lower + 2];
      if (upperColor !== foreground) {
        line += `\x1b[38;2;${data[upper]};${data[upper + 1]};${data[upper + 2]}m`;
        foreground = upperColor;
      }
      if (lowerColor !== background) {
        line += `\x1b[48;2;${data[lower]};${data[lower + 1]};${data[lower + 2]}m`;
        background = lowerColor;
      }
      line += UPPER_HALF_BLOCK;
    }
    lines.push(line + RESET);
  }
  return lines;
}
