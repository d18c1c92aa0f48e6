// What a JPEG frame is made of, read from its markers, and whether RFC 2435 can carry it unchanged.
// CONTRACT (owned by lib/media): lib/rtp's packetizer relies on these fields.
import { Marker, walkJpeg } from "./jpeg-markers.ts";
import { standardHuffmanFor } from "./jpeg-tables.ts";

export type ChromaSampling = "4:2:0" | "4:2:2" | "4:4:4" | "4:4:0" | "4:1:1" | "gray" | "other";

export interface JpegInfo {
  width: number;
  height: number;
  /** 8 or 12. */
  precision: number;
  /** SOF0 (baseline) vs SOF1/SOF2/...: progressive frames cannot travel. */
  baseline: boolean;
  progressive: boolean;
  components: number;
  /** Component ids as written (the classic movie uses 0,1,2; JFIF uses 1,2,3). */
  componentIds: number[];
  sampling: ChromaSampling;
  /** Quantization tables by id (0..3), 64 bytes each in zigzag order as stored, 8-bit precision only. */
  quantTables: (Uint8Array | undefined)[];
  /** Quant table id used by each component, in component order. */
  componentQuantIds: number[];
  /** DRI value, 0 when absent. */
  restartInterval: number;
  /** True when every DHT present equals the standard tables of ITU T.81 Annex K.3 (or there are none). */
  standardHuffman: boolean;
  hasJfif: boolean;
  /** Byte offset of the first entropy-coded byte (just after the SOS header). */
  scanStart: number;
  /** Byte offset just past the entropy-coded data (where EOI starts; the file length if EOI is missing). */
  scanEnd: number;
  /** False when the bytes end before an EOI marker (decoders cope; the last MCUs may be lost). */
  hasEoi: boolean;
  /** Sampling factors per component, in component order, as written in SOF. */
  samplingFactors: { h: number; v: number }[];
  /** RFC 2435 type: 0 (4:2:2), 1 (4:2:0), +64 with restart markers; undefined when it cannot travel as is. */
  rtpType?: number;
  /** Why it cannot travel unchanged as RFC 2435 RTP/JPEG; undefined when it can. */
  notTransportable?: string;
}

export class JpegError extends Error {
  override name = "JpegError";
}

/** The largest width or height RFC 2435 can describe (8-pixel units in one byte). */
export const RTP_JPEG_MAX_DIMENSION = 2040;

interface FrameHeader {
  marker: number;
  precision: number;
  width: number;
  height: number;
  ids: number[];
  factors: { h: number; v: number }[];
  quantIds: number[];
}

interface ScanHeader {
  ids: number[];
  dcTables: number[];
  acTables: number[];
}

/** Throws JpegError naming what is wrong (no SOI, truncated segment, no SOF, ...). */
export function inspectJpeg(bytes: Uint8Array): JpegInfo {
  const result = walkJpeg(bytes);
  if (!result.ok) throw new JpegError(result.error);
  const { segments, eoiStart, hasEoi } = result.walk;

  let frame: FrameHeader | undefined;
  const scans: ScanHeader[] = [];
  let scanStart = -1;
  let scanEnd = -1;
  const quantTables: (Uint8Array | undefined)[] = [];
  let wideQuantTable = false;
  let standardHuffman = true;
  let restartInterval = 0;
  let hasJfif = false;

  for (const segment of segments) {
    const payload = bytes.subarray(segment.payloadStart, segment.payloadEnd);
    const { marker } = segment;
    if (marker === Marker.APP0) {
      hasJfif ||= payload.length >= 5 && String.fromCharCode(...payload.subarray(0, 5)) === "JFIF\0";
    } else if (marker === Marker.DQT) {
      wideQuantTable = readQuantTables(payload, quantTables) || wideQuantTable;
    } else if (marker === Marker.DHT) {
      standardHuffman = readHuffmanTablesAreStandard(payload) && standardHuffman;
    } else if (marker === Marker.DRI) {
      if (payload.length < 2) throw new JpegError("DRI segment too short");
      restartInterval = (payload[0] << 8) | payload[1];
    } else if (isStartOfFrame(marker)) {
      if (frame) throw new JpegError("more than one SOF segment");
      frame = readFrameHeader(marker, payload);
    } else if (marker === Marker.SOS) {
      if (!frame) throw new JpegError("SOS before SOF");
      scans.push(readScanHeader(payload));
      if (scanStart < 0) scanStart = segment.payloadEnd;
      scanEnd = segment.scanEnd ?? eoiStart;
    }
  }
  if (!frame) throw new JpegError("no SOF segment (frame header)");
  if (scans.length === 0) throw new JpegError("no SOS segment (no image data)");
  for (const id of frame.quantIds) {
    if (id > 3) throw new JpegError(`SOF names quantization table ${id} (valid: 0..3)`);
  }

  const sampling = chromaSampling(frame.factors);
  const info: JpegInfo = {
    width: frame.width,
    height: frame.height,
    precision: frame.precision,
    baseline: frame.marker === 0xc0,
    progressive: frame.marker === 0xc2 || frame.marker === 0xc6 || frame.marker === 0xca || frame.marker === 0xce,
    components: frame.ids.length,
    componentIds: frame.ids,
    sampling,
    quantTables,
    componentQuantIds: frame.quantIds,
    restartInterval,
    standardHuffman,
    hasJfif,
    scanStart,
    scanEnd: hasEoi ? scanEnd : bytes.length,
    hasEoi,
    samplingFactors: frame.factors,
  };
  const problem = rtpProblem(info, frame, scans, wideQuantTable);
  if (problem) info.notTransportable = problem;
  else info.rtpType = (sampling === "4:2:0" ? 1 : 0) + (restartInterval > 0 ? 64 : 0);
  return info;
}

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Stores 8-bit tables by id; returns true when a 16-bit table was present. */
function readQuantTables(payload: Uint8Array, tables: (Uint8Array | undefined)[]): boolean {
  let wide = false;
  let pos = 0;
  while (pos < payload.length) {
    const precision = payload[pos] >> 4;
    const id = payload[pos] & 15;
    const size = precision === 0 ? 64 : 128;
    if (id > 3) throw new JpegError(`DQT defines table ${id} (valid: 0..3)`);
    if (pos + 1 + size > payload.length) throw new JpegError(`DQT table ${id} is truncated`);
    if (precision === 0) tables[id] = payload.subarray(pos + 1, pos + 65);
    else {
      wide = true;
      tables[id] = undefined;
    }
    pos += 1 + size;
  }
  return wide;
}

function readHuffmanTablesAreStandard(payload: Uint8Array): boolean {
  let standard = true;
  let pos = 0;
  while (pos < payload.length) {
    if (pos + 17 > payload.length) throw new JpegError("DHT table header is truncated");
    const tableClass = payload[pos] >> 4;
    const tableId = payload[pos] & 15;
    const counts = payload.subarray(pos + 1, pos + 17);
    const symbolCount = counts.reduce((sum, n) => sum + n, 0);
    if (pos + 17 + symbolCount > payload.length) throw new JpegError(`DHT table ${tableClass}/${tableId} is truncated`);
    const symbols = payload.subarray(pos + 17, pos + 17 + symbolCount);
    const reference = standardHuffmanFor(tableClass, tableId);
    standard &&= reference !== undefined && sameBytes(counts, reference.counts) && sameBytes(symbols, reference.symbols);
    pos += 17 + symbolCount;
  }
  return standard;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((value, i) => value === b[i]);

function readFrameHeader(marker: number, payload: Uint8Array): FrameHeader {
  if (payload.length < 6) throw new JpegError("SOF segment too short");
  const count = payload[5];
  if (count === 0 || payload.length < 6 + 3 * count) throw new JpegError(`SOF segment too short for ${count} components`);
  const header: FrameHeader = {
    marker,
    precision: payload[0],
    height: (payload[1] << 8) | payload[2],
    width: (payload[3] << 8) | payload[4],
    ids: [],
    factors: [],
    quantIds: [],
  };
  for (let i = 0; i < count; i++) {
    const at = 6 + 3 * i;
    header.ids.push(payload[at]);
    header.factors.push({ h: payload[at + 1] >> 4, v: payload[at + 1] & 15 });
    header.quantIds.push(payload[at + 2]);
  }
  if (header.width === 0) throw new JpegError("SOF gives width 0");
  return header;
}

function readScanHeader(payload: Uint8Array): ScanHeader {
  const count = payload[0] ?? 0;
  if (count === 0 || payload.length < 1 + 2 * count + 3) throw new JpegError("SOS segment too short");
  const scan: ScanHeader = { ids: [], dcTables: [], acTables: [] };
  for (let i = 0; i < count; i++) {
    scan.ids.push(payload[1 + 2 * i]);
    scan.dcTables.push(payload[2 + 2 * i] >> 4);
    scan.acTables.push(payload[2 + 2 * i] & 15);
  }
  return scan;
}

function chromaSampling(factors: { h: number; v: number }[]): ChromaSampling {
  if (factors.length === 1) return "gray";
  if (factors.length !== 3) return "other";
  const [y, cb, cr] = factors;
  if (cb.h !== cr.h || cb.v !== cr.v || y.h % cb.h !== 0 || y.v % cb.v !== 0) return "other";
  const key = `${y.h / cb.h}x${y.v / cb.v}`;
  const byRatio: Record<string, ChromaSampling> = {
    "1x1": "4:4:4",
    "2x2": "4:2:0",
    "2x1": "4:2:2",
    "1x2": "4:4:0",
    "4x1": "4:1:1",
  };
  return byRatio[key] ?? "other";
}

const SOF_KIND: Record<number, string> = {
  0xc1: "extended sequential (SOF1)",
  0xc2: "progressive (SOF2)",
  0xc3: "lossless (SOF3)",
};

/** The first reason RFC 2435 cannot carry this frame as is, in the order a reader would want to hear them. */
function rtpProblem(info: JpegInfo, frame: FrameHeader, scans: ScanHeader[], wideQuantTable: boolean): string | undefined {
  if (info.precision !== 8) return `${info.precision}-bit samples; RTP/JPEG carries 8-bit only`;
  if (!info.baseline) {
    const kind = SOF_KIND[frame.marker] ?? `SOF${frame.marker - 0xc0} (arithmetic or hierarchical)`;
    return `${kind} JPEG; RTP/JPEG carries baseline (SOF0) only`;
  }
  if (info.components === 1) return "grayscale (1 component); RTP/JPEG carries 3-component YCbCr only";
  if (info.components !== 3) return `${info.components} components; RTP/JPEG carries 3-component YCbCr only`;
  if (info.sampling !== "4:2:0" && info.sampling !== "4:2:2") {
    return `${info.sampling} chroma sampling; RTP/JPEG carries 4:2:0 or 4:2:2 only`;
  }
  const [y, cb, cr] = frame.factors;
  if (cb.h !== 1 || cb.v !== 1 || cr.h !== 1 || cr.v !== 1 || y.h !== 2 || (y.v !== 1 && y.v !== 2)) {
    const f = (c: { h: number; v: number }) => `${c.h}x${c.v}`;
    return `sampling factors Y ${f(y)}, Cb ${f(cb)}, Cr ${f(cr)}; RTP/JPEG needs Y 2x2 or 2x1 with chroma 1x1`;
  }
  if (!info.standardHuffman) return "optimized (non-standard) Huffman tables; RTP/JPEG assumes the Annex K.3 tables";
  if (info.width > RTP_JPEG_MAX_DIMENSION || info.height > RTP_JPEG_MAX_DIMENSION) {
    return `${info.width}x${info.height} exceeds the RTP/JPEG limit of ${RTP_JPEG_MAX_DIMENSION} px`;
  }
  if (info.height === 0) return "height 0 (set later by DNL); RTP/JPEG needs it in the frame header";
  if (wideQuantTable) return "16-bit quantization table; RTP/JPEG carries 8-bit tables only";
  if (frame.quantIds.some((id) => info.quantTables[id] === undefined)) return "a component's quantization table is missing";
  if (frame.quantIds[1] !== frame.quantIds[2]) return "Cb and Cr use different quantization tables";
  if (scans.length !== 1 || scans[0].ids.length !== 3) return "not a single interleaved scan";
  const scan = scans[0];
  const standardSelectors = [0, 1, 1].every((t, i) => scan.dcTables[i] === t && scan.acTables[i] === t);
  if (scan.ids.some((id, i) => id !== frame.ids[i]) || !standardSelectors) {
    return "scan uses non-standard Huffman table assignments (RTP/JPEG: table 0 for Y, 1 for Cb and Cr)";
  }
  return undefined;
}
