// What a JPEG frame is made of, read from its markers, and whether RFC 2435 can carry it unchanged.
// CONTRACT (owned by lib/media): lib/rtp's packetizer relies on these fields.

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
  /** RFC 2435 type: 0 (4:2:2), 1 (4:2:0), +64 with restart markers; undefined when it cannot travel as is. */
  rtpType?: number;
  /** Why it cannot travel unchanged as RFC 2435 RTP/JPEG; undefined when it can. */
  notTransportable?: string;
}

export declare class JpegError extends Error {}
/** Throws JpegError naming what is wrong (no SOI, truncated segment, no SOF, ...). */
export declare function inspectJpeg(bytes: Uint8Array): JpegInfo;
