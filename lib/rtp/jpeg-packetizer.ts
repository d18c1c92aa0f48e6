// RFC 2435 RTP/JPEG: one frame → RTP payloads (main header [+ quantization table header] + scan fragment).
// CONTRACT (owned by lib/rtp). RTP headers are written per client by the sender; payloads are shared by all.
import { inspectJpeg } from "../media/jpeg-info.ts";
import { RTP_HEADER_BYTES } from "./packet.ts";

export interface PacketizeOptions {
  /** Largest RTP packet including the 12-byte RTP header; default 1400. */
  maxPacket?: number;
}

const DEFAULT_MAX_PACKET = 1400;
const MAIN_HEADER_BYTES = 8;
const RESTART_HEADER_BYTES = 4;
const QUANT_HEADER_BYTES = 4;
const QUANT_TABLE_BYTES = 64;
/** Q 255: the tables travel in-band with every frame, so whatever tables the encoder chose arrive intact. */
const Q_TABLES_IN_BAND = 255;
/** RFC 2435 types 64..127 carry restart markers and a restart header. */
const RESTART_TYPE_BASE = 64;
/** F = 1, L = 1, restart count 0x3FFF: the fragments are not aligned to restart intervals. */
const RESTART_UNALIGNED = 0xffff;
const MAX_FRAGMENT_OFFSET = 0xffffff;

/** Throws when the frame cannot travel as RFC 2435 (the JpegInfo's notTransportable). The last payload gets the marker. */
export function packetizeJpeg(frame: Uint8Array, options: PacketizeOptions = {}): Uint8Array[] {
  const info = inspectJpeg(frame);
  if (info.notTransportable !== undefined || info.rtpType === undefined) {
    throw new Error(info.notTransportable ?? "frame cannot travel as RTP/JPEG");
  }
  const type = info.rtpType;
  const lumaTable = info.quantTables[info.componentQuantIds[0]];
  const chromaTable = info.quantTables[info.componentQuantIds[1]];
  if (!lumaTable || !chromaTable) throw new Error("a component's quantization table is missing");

  const headerBytes = MAIN_HEADER_BYTES + (type >= RESTART_TYPE_BASE ? RESTART_HEADER_BYTES : 0);
  const firstHeaderBytes = headerBytes + QUANT_HEADER_BYTES + 2 * QUANT_TABLE_BYTES;
  const maxPacket = options.maxPacket ?? DEFAULT_MAX_PACKET;
  const room = maxPacket - RTP_HEADER_BYTES;
  if (room <= firstHeaderBytes) {
    throw new RangeError(`maxPacket ${maxPacket} leaves no room for scan data after ${RTP_HEADER_BYTES + firstHeaderBytes} header bytes`);
  }

  // The EOI travels with the scan, as GStreamer's rtpjpegpay sends it: receivers that append one only when it is missing
  // (GStreamer 1.22's rtpjpegdepay tests for it wrongly) then always get a whole JPEG.
  const scan = frame.subarray(info.scanStart, info.hasEoi ? info.scanEnd + 2 : info.scanEnd);
  if (scan.length > MAX_FRAGMENT_OFFSET) throw new Error(`${scan.length} bytes of scan data exceed RTP/JPEG's 24-bit fragment offset`);
  // Sizes in 8-pixel units, rounded up: the decoder then sees the same number of MCUs.
  const width8 = Math.ceil(info.width / 8);
  const height8 = Math.ceil(info.height / 8);
  const payloads: Uint8Array[] = [];
  let offset = 0;
  do {
    const first = offset === 0;
    const header = first ? firstHeaderBytes : headerBytes;
    const dataBytes = Math.min(room - header, scan.length - offset);
    const payload = new Uint8Array(header + dataBytes);
    payload.set([0, offset >>> 16, (offset >>> 8) & 0xff, offset & 0xff, type, Q_TABLES_IN_BAND, width8, height8]);
    let at = MAIN_HEADER_BYTES;
    if (type >= RESTART_TYPE_BASE) {
      payload.set([info.restartInterval >>> 8, info.restartInterval & 0xff, RESTART_UNALIGNED >>> 8, RESTART_UNALIGNED & 0xff], at);
      at += RESTART_HEADER_BYTES;
    }
    if (first) {
      payload.set([0, 0, 0, 2 * QUANT_TABLE_BYTES], at);
      payload.set(lumaTable, at + QUANT_HEADER_BYTES);
      payload.set(chromaTable, at + QUANT_HEADER_BYTES + QUANT_TABLE_BYTES);
      at += QUANT_HEADER_BYTES + 2 * QUANT_TABLE_BYTES;
    }
    payload.set(scan.subarray(offset, offset + dataBytes), at);
    payloads.push(payload);
    offset += dataBytes;
  } while (offset < scan.length);
  return payloads;
}
