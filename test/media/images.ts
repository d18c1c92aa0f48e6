// Pictures and measures shared by the media tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(import.meta.dir, "fixtures", name)));
}

/** A deterministic RGBA picture with smooth gradients and hard edges, like a frame of real video. */
export function testPattern(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      rgba[at] = inDisc ? 230 : (x * 255) / width;
      rgba[at + 1] = inDisc ? 40 : (y * 255) / height;
      rgba[at + 2] = ((x >> 4) + (y >> 4)) % 2 ? 180 : 60;
      rgba[at + 3] = 255;
    }
  }
  return rgba;
}

/** Peak signal-to-noise ratio over the R, G, B channels of two RGBA pictures of the same size, in dB. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let squares = 0;
  let samples = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    squares += (a[i] - b[i]) ** 2;
    samples++;
  }
  return squares === 0 ? Infinity : 10 * Math.log10((255 * 255 * samples) / squares);
}
