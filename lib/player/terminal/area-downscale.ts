// Area-averaged resampling: every target pixel is the coverage-weighted mean of the source pixels under it, so a
// shrunken video frame keeps its detail as averaged colour instead of the shimmer of nearest-neighbour picking.

export interface RgbImage {
  width: number;
  height: number;
  /** 3 bytes per pixel, rows top to bottom. */
  data: Uint8Array;
}

interface AxisWeights {
  /** Per target index: first source index. */
  start: Int32Array;
  /** Per target index: how many source indexes it covers. */
  count: Int32Array;
  /** Flattened per target index: weight of each covered source index (they sum to 1). */
  weights: Float32Array;
  /** Offset of each target index's weights in `weights`. */
  offset: Int32Array;
}

function axisWeights(source: number, target: number): AxisWeights {
  const span = source / target;
  const start = new Int32Array(target);
  const count = new Int32Array(target);
  const offset = new Int32Array(target);
  const weights: number[] = [];
  for (let t = 0; t < target; t++) {
    const from = t * span;
    const to = Math.min(source, (t + 1) * span);
    const first = Math.floor(from);
    const last = Math.min(source - 1, Math.ceil(to) - 1);
    start[t] = first;
    count[t] = last - first + 1;
    offset[t] = weights.length;
    for (let s = first; s <= last; s++) {
      const covered = Math.min(to, s + 1) - Math.max(from, s);
      weights.push(covered / (to - from));
    }
  }
  return { start, count, weights: Float32Array.from(weights), offset };
}

/** Resample a 4-bytes-per-pixel (RGBA) image to width × height RGB; alpha is ignored (decoded JPEG is opaque). */
export function downscaleRgba(rgba: Uint8Array, sourceWidth: number, sourceHeight: number, width: number, height: number): RgbImage {
  const across = axisWeights(sourceWidth, width);
  const down = axisWeights(sourceHeight, height);
  // Horizontal pass over every source row, then a vertical pass over those.
  const rows = new Float32Array(width * sourceHeight * 3);
  for (let y = 0; y < sourceHeight; y++) {
    const sourceRow = y * sourceWidth * 4;
    const targetRow = y * width * 3;
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      const base = across.offset[x];
      for (let k = 0; k < across.count[x]; k++) {
        const weight = across.weights[base + k];
        const p = sourceRow + (across.start[x] + k) * 4;
        r += rgba[p] * weight;
        g += rgba[p + 1] * weight;
        b += rgba[p + 2] * weight;
      }
      const q = targetRow + x * 3;
      rows[q] = r;
      rows[q + 1] = g;
      rows[q + 2] = b;
    }
  }
  const data = new Uint8Array(width * height * 3);
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const base = down.offset[y];
    for (let i = 0; i < stride; i++) {
      let sum = 0;
      for (let k = 0; k < down.count[y]; k++) sum += rows[(down.start[y] + k) * stride + i] * down.weights[base + k];
      data[y * stride + i] = Math.min(255, Math.round(sum));
    }
  }
  return { width, height, data };
}
