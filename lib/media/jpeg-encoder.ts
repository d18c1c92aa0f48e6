// A small baseline JPEG encoder for what RTP/JPEG can carry: 4:2:0 with the Annex K tables (jpeg-js writes 4:4:4
// only). 4:4:4 is kept as an option because test fixtures must imitate the classic movie's frames.
import { scaledQuantTables, STANDARD_HUFFMAN, ZIGZAG_TO_NATURAL, type HuffmanSpec } from "./jpeg-tables.ts";

export interface JpegEncoding {
  sampling: "4:2:0" | "4:4:4";
  /** 1..100, IJG scaling of the Annex K tables (50 = the tables as printed). */
  quality: number;
  /** Component ids for Y, Cb, Cr: JFIF says 1, 2, 3. */
  componentIds?: [number, number, number];
  /** Write a JFIF APP0 segment (default true). */
  jfif?: boolean;
}

/** Baseline 4:2:0 JPEG with the standard Huffman tables and a JFIF APP0. `rgba` holds 4 bytes per pixel. */
export function encodeJpeg420(rgba: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  return encodeJpeg(rgba, width, height, { sampling: "4:2:0", quality });
}

export function encodeJpeg(rgba: Uint8Array, width: number, height: number, encoding: JpegEncoding): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65535 || height > 65535) {
    throw new RangeError(`cannot encode a ${width}x${height} image`);
  }
  if (rgba.length < width * height * 4) throw new RangeError(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const { sampling, quality, componentIds = [1, 2, 3], jfif = true } = encoding;
  const tables = scaledQuantTables(quality);
  const out = new ByteWriter(width * height + 1024);
  writeHeaders(out, width, height, sampling, tables, componentIds, jfif);
  writeScan(out, rgba, width, height, sampling, tables);
  out.byte(0xff);
  out.byte(0xd9);
  return out.result();
}

// ---- headers

const JFIF_APP0 = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];

function writeHeaders(
  out: ByteWriter,
  width: number,
  height: number,
  sampling: JpegEncoding["sampling"],
  tables: { luminance: Uint8Array; chrominance: Uint8Array },
  ids: [number, number, number],
  jfif: boolean,
) {
  out.bytes([0xff, 0xd8]);
  if (jfif) out.bytes(JFIF_APP0);
  out.bytes([0xff, 0xdb, 0, 132, 0]);
  out.bytes(tables.luminance);
  out.byte(1);
  out.bytes(tables.chrominance);
  const yFactors = sampling === "4:2:0" ? 0x22 : 0x11;
  out.bytes([0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3]);
  out.bytes([ids[0], yFactors, 0, ids[1], 0x11, 1, ids[2], 0x11, 1]);
  const huffman: [number, HuffmanSpec][] = [
    [0x00, STANDARD_HUFFMAN.dcLuminance],
    [0x10, STANDARD_HUFFMAN.acLuminance],
    [0x01, STANDARD_HUFFMAN.dcChrominance],
    [0x11, STANDARD_HUFFMAN.acChrominance],
  ];
  const dhtLength = 2 + huffman.reduce((sum, [, spec]) => sum + 17 + spec.symbols.length, 0);
  out.bytes([0xff, 0xc4, dhtLength >> 8, dhtLength & 255]);
  for (const [classAndId, spec] of huffman) {
    out.byte(classAndId);
    out.bytes(spec.counts);
    out.bytes(spec.symbols);
  }
  out.bytes([0xff, 0xda, 0, 12, 3, ids[0], 0x00, ids[1], 0x11, ids[2], 0x11, 0, 63, 0]);
}

// ---- entropy-coded data

/** Huffman code and length by symbol, from a DHT-style spec (ITU T.81 Annex C). */
interface HuffmanCodes {
  code: Uint16Array;
  size: Uint8Array;
}

function buildCodes(spec: HuffmanSpec): HuffmanCodes {
  const codes: HuffmanCodes = { code: new Uint16Array(256), size: new Uint8Array(256) };
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < spec.counts[length - 1]; i++) {
      const symbol = spec.symbols[k++];
      codes.code[symbol] = code++;
      codes.size[symbol] = length;
    }
    code <<= 1;
  }
  return codes;
}

const CODES = {
  dcLuminance: buildCodes(STANDARD_HUFFMAN.dcLuminance),
  acLuminance: buildCodes(STANDARD_HUFFMAN.acLuminance),
  dcChrominance: buildCodes(STANDARD_HUFFMAN.dcChrominance),
  acChrominance: buildCodes(STANDARD_HUFFMAN.acChrominance),
};

// AAN scale factors: the float FDCT below leaves each coefficient scaled by these (times 8 overall).
const AAN_SCALE = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379];

/** Multipliers that undo the AAN scaling and divide by the quantizer, in natural order. */
function quantDivisors(zigzagTable: Uint8Array): Float32Array {
  const divisors = new Float32Array(64);
  for (let k = 0; k < 64; k++) {
    const natural = ZIGZAG_TO_NATURAL[k];
    divisors[natural] = 1 / (zigzagTable[k] * AAN_SCALE[natural >> 3] * AAN_SCALE[natural & 7] * 8);
  }
  return divisors;
}

function writeScan(
  out: ByteWriter,
  rgba: Uint8Array,
  width: number,
  height: number,
  sampling: JpegEncoding["sampling"],
  tables: { luminance: Uint8Array; chrominance: Uint8Array },
) {
  const mcuSize = sampling === "4:2:0" ? 16 : 8;
  const paddedWidth = Math.ceil(width / mcuSize) * mcuSize;
  const paddedHeight = Math.ceil(height / mcuSize) * mcuSize;
  const planes = toYCbCrPlanes(rgba, width, height, paddedWidth, paddedHeight, sampling === "4:2:0");
  const lumaDivisors = quantDivisors(tables.luminance);
  const chromaDivisors = quantDivisors(tables.chrominance);
  const block = new Float32Array(64);
  const coefficients = new Int32Array(64);
  const bits = new BitWriter(out);
  const chromaWidth = planes.chromaWidth;
  let previousY = 0;
  let previousCb = 0;
  let previousCr = 0;

  for (let mcuY = 0; mcuY < paddedHeight; mcuY += mcuSize) {
    for (let mcuX = 0; mcuX < paddedWidth; mcuX += mcuSize) {
      for (let by = 0; by < mcuSize; by += 8) {
        for (let bx = 0; bx < mcuSize; bx += 8) {
          loadBlock(planes.y, paddedWidth, mcuX + bx, mcuY + by, block);
          forwardDctQuantize(block, lumaDivisors, coefficients);
          previousY = encodeBlock(bits, coefficients, previousY, CODES.dcLuminance, CODES.acLuminance);
        }
      }
      const chromaX = mcuX / (mcuSize / 8);
      const chromaY = mcuY / (mcuSize / 8);
      loadBlock(planes.cb, chromaWidth, chromaX, chromaY, block);
      forwardDctQuantize(block, chromaDivisors, coefficients);
      previousCb = encodeBlock(bits, coefficients, previousCb, CODES.dcChrominance, CODES.acChrominance);
      loadBlock(planes.cr, chromaWidth, chromaX, chromaY, block);
      forwardDctQuantize(block, chromaDivisors, coefficients);
      previousCr = encodeBlock(bits, coefficients, previousCr, CODES.dcChrominance, CODES.acChrominance);
    }
  }
  bits.flush();
}

/**
 * Level-shifted (-128) Y, Cb, Cr planes of the padded size, edges replicated; with `subsample` the chroma planes are
 * averaged over 2x2 pixels.
 */
function toYCbCrPlanes(
  rgba: Uint8Array,
  width: number,
  height: number,
  paddedWidth: number,
  paddedHeight: number,
  subsample: boolean,
) {
  const y = new Float32Array(paddedWidth * paddedHeight);
  const cb = new Float32Array(paddedWidth * paddedHeight);
  const cr = new Float32Array(paddedWidth * paddedHeight);
  for (let row = 0; row < paddedHeight; row++) {
    const sourceRow = Math.min(row, height - 1) * width;
    for (let col = 0; col < paddedWidth; col++) {
      const source = (sourceRow + Math.min(col, width - 1)) * 4;
      const r = rgba[source];
      const g = rgba[source + 1];
      const b = rgba[source + 2];
      const at = row * paddedWidth + col;
      y[at] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      cb[at] = -0.168736 * r - 0.331264 * g + 0.5 * b;
      cr[at] = 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }
  if (!subsample) return { y, cb, cr, chromaWidth: paddedWidth };
  const chromaWidth = paddedWidth / 2;
  const chromaHeight = paddedHeight / 2;
  const averaged = (plane: Float32Array) => {
    const half = new Float32Array(chromaWidth * chromaHeight);
    for (let row = 0; row < chromaHeight; row++) {
      const top = 2 * row * paddedWidth;
      const bottom = top + paddedWidth;
      for (let col = 0; col < chromaWidth; col++) {
        const x = 2 * col;
        half[row * chromaWidth + col] = (plane[top + x] + plane[top + x + 1] + plane[bottom + x] + plane[bottom + x + 1]) / 4;
      }
    }
    return half;
  };
  return { y, cb: averaged(cb), cr: averaged(cr), chromaWidth };
}

function loadBlock(plane: Float32Array, planeWidth: number, x: number, y: number, block: Float32Array) {
  for (let row = 0; row < 8; row++) {
    const from = (y + row) * planeWidth + x;
    for (let col = 0; col < 8; col++) block[row * 8 + col] = plane[from + col];
  }
}

/** The AAN float forward DCT (as in the IJG jfdctflt.c), rows then columns, then quantization with rounding. */
function forwardDctQuantize(data: Float32Array, divisors: Float32Array, out: Int32Array) {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8;
    const stride = pass === 0 ? 8 : 1;
    for (let line = 0; line < 8; line++) {
      const o = line * stride;
      const d0 = data[o];
      const d1 = data[o + step];
      const d2 = data[o + 2 * step];
      const d3 = data[o + 3 * step];
      const d4 = data[o + 4 * step];
      const d5 = data[o + 5 * step];
      const d6 = data[o + 6 * step];
      const d7 = data[o + 7 * step];
      const tmp0 = d0 + d7;
      const tmp7 = d0 - d7;
      const tmp1 = d1 + d6;
      const tmp6 = d1 - d6;
      const tmp2 = d2 + d5;
      const tmp5 = d2 - d5;
      const tmp3 = d3 + d4;
      const tmp4 = d3 - d4;

      const tmp10 = tmp0 + tmp3;
      const tmp13 = tmp0 - tmp3;
      const tmp11 = tmp1 + tmp2;
      const tmp12 = tmp1 - tmp2;
      data[o] = tmp10 + tmp11;
      data[o + 4 * step] = tmp10 - tmp11;
      const z1 = (tmp12 + tmp13) * 0.707106781;
      data[o + 2 * step] = tmp13 + z1;
      data[o + 6 * step] = tmp13 - z1;

      const odd10 = tmp4 + tmp5;
      const odd11 = tmp5 + tmp6;
      const odd12 = tmp6 + tmp7;
      const z5 = (odd10 - odd12) * 0.382683433;
      const z2 = 0.5411961 * odd10 + z5;
      const z4 = 1.306562965 * odd12 + z5;
      const z3 = odd11 * 0.707106781;
      const z11 = tmp7 + z3;
      const z13 = tmp7 - z3;
      data[o + 5 * step] = z13 + z2;
      data[o + 3 * step] = z13 - z2;
      data[o + step] = z11 + z4;
      data[o + 7 * step] = z11 - z4;
    }
  }
  for (let i = 0; i < 64; i++) out[i] = Math.round(data[i] * divisors[i]);
}

/** Number of bits needed for |value| (the JPEG "category"). */
function category(value: number): number {
  let magnitude = value < 0 ? -value : value;
  let bits = 0;
  while (magnitude) {
    bits++;
    magnitude >>= 1;
  }
  return bits;
}

/** Writes one block's DC difference and AC run-lengths; returns its DC for the next block's prediction. */
function encodeBlock(bits: BitWriter, block: Int32Array, previousDc: number, dc: HuffmanCodes, ac: HuffmanCodes): number {
  const dcValue = block[0];
  const diff = dcValue - previousDc;
  const dcSize = category(diff);
  bits.write(dc.code[dcSize], dc.size[dcSize]);
  if (dcSize) bits.write(diff < 0 ? diff - 1 : diff, dcSize);

  let run = 0;
  for (let k = 1; k < 64; k++) {
    const value = block[ZIGZAG_TO_NATURAL[k]];
    if (value === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      bits.write(ac.code[0xf0], ac.size[0xf0]);
      run -= 16;
    }
    const size = category(value);
    const symbol = (run << 4) | size;
    bits.write(ac.code[symbol], ac.size[symbol]);
    bits.write(value < 0 ? value - 1 : value, size);
    run = 0;
  }
  if (run > 0) bits.write(ac.code[0x00], ac.size[0x00]);
  return dcValue;
}

/** MSB-first bit packing with JPEG byte stuffing (0xFF is followed by 0x00). */
class BitWriter {
  private buffer = 0;
  private count = 0;
  constructor(private readonly out: ByteWriter) {}

  write(value: number, length: number) {
    this.buffer = (this.buffer << length) | (value & ((1 << length) - 1));
    this.count += length;
    while (this.count >= 8) {
      this.count -= 8;
      const byte = (this.buffer >> this.count) & 255;
      this.out.byte(byte);
      if (byte === 0xff) this.out.byte(0);
    }
    this.buffer &= (1 << this.count) - 1;
  }

  /** Pads the last byte with 1-bits, as T.81 F.1.2.3 asks. */
  flush() {
    if (this.count > 0) this.write(0x7f, 8 - this.count);
  }
}

/** A growable byte buffer. */
class ByteWriter {
  private data: Uint8Array;
  private length = 0;
  constructor(capacity: number) {
    this.data = new Uint8Array(capacity);
  }

  byte(value: number) {
    if (this.length === this.data.length) this.grow(1);
    this.data[this.length++] = value;
  }

  bytes(values: ArrayLike<number>) {
    if (this.length + values.length > this.data.length) this.grow(values.length);
    for (let i = 0; i < values.length; i++) this.data[this.length++] = values[i];
  }

  result(): Uint8Array {
    return this.data.slice(0, this.length);
  }

  private grow(needed: number) {
    const bigger = new Uint8Array(Math.max(this.data.length * 2, this.length + needed));
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }
}
