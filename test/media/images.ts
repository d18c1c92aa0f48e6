// Pictures and measures shared by the media tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(import.meta.dir, "fixtures", name)));
}

/**
 * A deterministic RGBA picture like a frame of real video: smooth colour gradients (chroma varies slowly, as 4:2:0
 * assumes) under hard-edged brightness detail (a checkerboard and a bright disc).
 */
export function testPattern(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      const light = (((x >> 3) + (y >> 3)) % 2 ? 40 : -40) + (inDisc ? 60 : 0);
      const clamp = (v: number) => Math.max(0, Math.min(255, v));
      rgba[at] = clamp(60 + (x * 120) / width + light);
      rgba[at + 1] = clamp(60 + (y * 120) / height + light);
      rgba[at + 2] = clamp(150 - (x * 60) / width + light);
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
