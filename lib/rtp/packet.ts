// RTP fixed header (RFC 3550 §5.1). CONTRACT (owned by lib/rtp).
export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}
export interface RtpPacket extends RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcs: number[];
  /** View into the datagram, padding and extension removed. */
  payload: Uint8Array;
}
export const RTP_HEADER_BYTES = 12;
/** RTP/JPEG's clock (RFC 2435 §3.1.1, payload type 26 in RFC 3551): timestamps count 90 kHz ticks. */
export const JPEG_CLOCK_RATE = 90_000;

const RTP_VERSION = 2;

/** Writes the 12-byte header at `offset` of `target` (no allocation: the hot path reuses buffers). */
export function writeRtpHeader(target: Uint8Array, offset: number, header: RtpHeader): void {
  const sequence = header.sequenceNumber & 0xffff;
  const timestamp = header.timestamp >>> 0;
  const ssrc = header.ssrc >>> 0;
  target[offset] = RTP_VERSION << 6;
  target[offset + 1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  target[offset + 2] = sequence >>> 8;
  target[offset + 3] = sequence & 0xff;
  target[offset + 4] = timestamp >>> 24;
  target[offset + 5] = (timestamp >>> 16) & 0xff;
  target[offset + 6] = (timestamp >>> 8) & 0xff;
  target[offset + 7] = timestamp & 0xff;
  target[offset + 8] = ssrc >>> 24;
  target[offset + 9] = (ssrc >>> 16) & 0xff;
  target[offset + 10] = (ssrc >>> 8) & 0xff;
  target[offset + 11] = ssrc & 0xff;
}

export function encodeRtp(header: RtpHeader, payload: Uint8Array): Uint8Array {
  const datagram = new Uint8Array(RTP_HEADER_BYTES + payload.length);
  writeRtpHeader(datagram, 0, header);
  datagram.set(payload, RTP_HEADER_BYTES);
  return datagram;
}

/** Returns an Error value (not thrown) for anything that is not a valid RTP v2 packet. */
export function decodeRtp(datagram: Uint8Array): RtpPacket | Error {
  if (datagram.length < RTP_HEADER_BYTES) {
    return new Error(`RTP packet too short: ${datagram.length} bytes`);
  }
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const first = datagram[0];
  const version = first >>> 6;
  if (version !== RTP_VERSION) return new Error(`RTP version ${version}, expected 2`);
  const padding = (first & 0x20) !== 0;
  const extension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;

  let payloadStart = RTP_HEADER_BYTES + csrcCount * 4;
  if (payloadStart > datagram.length) return new Error(`RTP packet truncated in its ${csrcCount} CSRCs`);
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(RTP_HEADER_BYTES + i * 4));

  if (extension) {
    if (payloadStart + 4 > datagram.length) return new Error("RTP packet truncated in its extension header");
    const extensionWords = view.getUint16(payloadStart + 2);
    payloadStart += 4 + extensionWords * 4;
    if (payloadStart > datagram.length) return new Error("RTP packet truncated in its extension");
  }

  let payloadEnd = datagram.length;
  if (padding) {
    const paddingBytes = datagram[datagram.length - 1];
    if (paddingBytes === 0 || payloadEnd - paddingBytes < payloadStart) {
      return new Error(`RTP padding of ${paddingBytes} bytes does not fit the packet`);
    }
    payloadEnd -= paddingBytes;
  }

  return {
    version,
    padding,
    extension,
    marker: (datagram[1] & 0x80) !== 0,
    payloadType: datagram[1] & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    payload: datagram.subarray(payloadStart, payloadEnd),
  };
}
