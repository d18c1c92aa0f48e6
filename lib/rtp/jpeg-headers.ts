// The JPEG headers an RFC 2435 receiver puts back in front of the scan data (RFC 2435 Appendix A and B).
import { scaledQuantTables as annexKQuantTables, STANDARD_HUFFMAN, type HuffmanSpec } from "../media/jpeg-tables.ts";

export interface QuantTable {
  /** Zigzag order, as a DQT segment stores it: 64 entries (8-bit) or 128 bytes (16-bit, big-endian). */
  bytes: Uint8Array;
  sixteenBit: boolean;
}

export interface JpegHeaderParameters {
  /** RFC 2435 type: 0/64 = 4:2:2 (Y 2x1), 1/65 = 4:2:0 (Y 2x2). */
  type: number;
  width: number;
  height: number;
  restartInterval: number;
  /** One table serves all three components; two mean luma then chroma. */
  quantTables: QuantTable[];
}

const SOI = 0xd8;
const SOF0 = 0xc0;
const DHT = 0xc4;
const DQT = 0xdb;
const DRI = 0xdd;
const SOS = 0xda;

/** RFC 2435 Appendix A MakeTables: the Annex K tables scaled for Q 1..99 (100..127 are reserved), in zigzag order. */
export function scaledQuantTables(q: number): [luma: QuantTable, chroma: QuantTable] {
  const { luminance, chrominance } = annexKQuantTables(Math.min(99, q));
  return [
    { bytes: luminance, sixteenBit: false },
    { bytes: chrominance, sixteenBit: false },
  ];
}

/** Everything from SOI to the end of the SOS header (RFC 2435 Appendix B MakeHeaders). */
export function buildJpegHeaders(parameters: JpegHeaderParameters): Uint8Array {
  const bytes: number[] = [0xff, SOI];
  const segment = (marker: number, body: number[]) => bytes.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);

  const dqt: number[] = [];
  parameters.quantTables.forEach((table, id) => dqt.push(((table.sixteenBit ? 1 : 0) << 4) | id, ...table.bytes));
  segment(DQT, dqt);

  const chromaQuantId = parameters.quantTables.length > 1 ? 1 : 0;
  const lumaSampling = (parameters.type & 0x3f) === 1 ? 0x22 : 0x21;
  segment(SOF0, [
    8,
    parameters.height >> 8,
    parameters.height & 0xff,
    parameters.width >> 8,
    parameters.width & 0xff,
    3,
    ...[1, lumaSampling, 0],
    ...[2, 0x11, chromaQuantId],
    ...[3, 0x11, chromaQuantId],
  ]);

  const huffman = (tableClass: number, tableId: number, table: HuffmanSpec) => [(tableClass << 4) | tableId, ...table.counts, ...table.symbols];
  const { dcLuminance, acLuminance, dcChrominance, acChrominance } = STANDARD_HUFFMAN;
  segment(DHT, [...huffman(0, 0, dcLuminance), ...huffman(1, 0, acLuminance), ...huffman(0, 1, dcChrominance), ...huffman(1, 1, acChrominance)]);

  if (parameters.restartInterval > 0) segment(DRI, [parameters.restartInterval >> 8, parameters.restartInterval & 0xff]);

  // Y uses Huffman tables 0, Cb and Cr tables 1; full spectral range, no successive approximation.
  segment(SOS, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  return new Uint8Array(bytes);
}
