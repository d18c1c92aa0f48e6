// The bundled sample movie (embedded into the compiled binary) and the generator that made it.
// CONTRACT (owned by lib/media).
import moviePath from "../../media/movie.Mjpeg" with { type: "file" };
import { encodeJpeg420 } from "./jpeg-encoder.ts";
import { encodeLabMovie } from "./lab-format.ts";

export interface SampleOptions {
  frames: number;
  width: number;
  height: number;
  /** JPEG quality 1..100 (default SAMPLE_QUALITY). */
  quality?: number;
}

/** Keeps the 500-frame 384x288 bundled movie near 7 KB a frame, well under 5 MB. */
export const SAMPLE_QUALITY = 75;

/** Path of the bundled media/movie.Mjpeg (works inside the compiled binary via Bun's embedded files). */
export const bundledMoviePath: string = moviePath;

/** Lab-format bytes of a generated movie: moving content, frame number drawn large, baseline 4:2:0 frames. */
export function makeSampleMovie(options: SampleOptions): Uint8Array {
  const { frames, width, height, quality = SAMPLE_QUALITY } = options;
  const rgba = new Uint8Array(width * height * 4);
  const jpegs: Uint8Array[] = [];
  for (let n = 1; n <= frames; n++) {
    drawSampleFrame(rgba, width, height, n);
    jpegs.push(encodeJpeg420(rgba, width, height, quality));
  }
  return encodeLabMovie(jpegs);
}

/** Frame `n` (1-based): a drifting diagonal gradient, a bouncing box, and the number n in large digits. */
export function drawSampleFrame(rgba: Uint8Array, width: number, height: number, n: number) {
  const shift = n * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const t = ((x + y + shift) % 512) / 511;
      const wave = t < 0.5 ? t * 2 : 2 - t * 2;
      rgba[at] = 40 + 90 * wave;
      rgba[at + 1] = 60 + 60 * (y / height);
      rgba[at + 2] = 140 + 100 * (1 - wave);
      rgba[at + 3] = 255;
    }
  }
  const box = Math.max(4, Math.round(Math.min(width, height) / 6));
  const boxX = bounce(n * 5, width - box);
  const boxY = bounce(n * 3, height - box);
  fillRect(rgba, width, height, boxX, boxY, box, box, [250, 200, 40]);
  drawNumber(rgba, width, height, n);
}

/** Position along 0..range that moves one unit per step and reflects at both ends. */
function bounce(step: number, range: number): number {
  if (range <= 0) return 0;
  const phase = step % (2 * range);
  return phase <= range ? phase : 2 * range - phase;
}

function fillRect(
  rgba: Uint8Array,
  width: number,
  height: number,
  left: number,
  top: number,
  w: number,
  h: number,
  [r, g, b]: readonly number[],
) {
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(width, left + w);
  const y1 = Math.min(height, top + h);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = (y * width + x) * 4;
      rgba[at] = r;
      rgba[at + 1] = g;
      rgba[at + 2] = b;
    }
  }
}

/** 5x7 bitmap digits, one string per row, '#' = lit. */
const DIGIT_ROWS: readonly string[][] = [
  [" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "],
  ["  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
  [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
  ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
  ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
  ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
  ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
  ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
  [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
  [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
];

/** The number centred, white on a dark plate, each bitmap pixel a square of a scale that fills about a third of the height. */
function drawNumber(rgba: Uint8Array, width: number, height: number, n: number) {
  const digits = String(n);
  const scale = Math.max(1, Math.min(Math.floor(height / 3 / 7), Math.floor((width * 0.8) / (digits.length * 6))));
  const textWidth = (digits.length * 6 - 1) * scale;
  const textHeight = 7 * scale;
  const left = Math.floor((width - textWidth) / 2);
  const top = Math.floor((height - textHeight) / 2);
  fillRect(rgba, width, height, left - scale, top - scale, textWidth + 2 * scale, textHeight + 2 * scale, [20, 20, 30]);
  for (let d = 0; d < digits.length; d++) {
    const rows = DIGIT_ROWS[digits.charCodeAt(d) - 48];
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 5; col++) {
        if (rows[row][col] !== "#") continue;
        fillRect(rgba, width, height, left + (d * 6 + col) * scale, top + row * scale, scale, scale, [245, 245, 245]);
      }
    }
  }
}
